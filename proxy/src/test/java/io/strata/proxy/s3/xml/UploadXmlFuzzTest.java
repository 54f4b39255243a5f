package io.strata.proxy.s3.xml;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.proxy.s3.xml.UploadXml.CompletedPart;
import io.strata.proxy.s3.xml.UploadXml.DeleteRequest;
import io.strata.proxy.testing.FuzzInput;
import java.util.List;

/**
 * Fuzzes the XML request bodies (DeleteObjects, CompleteMultipartUpload) through
 * {@link XmlReader}: each input is given to both parsers, and each may only return a result
 * within the schema's limits or refuse with a 4xx {@link S3Exception}.
 */
class UploadXmlFuzzTest {

  @FuzzTest(maxDuration = "25s")
  void parse(byte[] body) {
    try {
      DeleteRequest delete = UploadXml.parseDelete(body);
      if (delete.keys().isEmpty() || delete.keys().size() > UploadXml.MAX_DELETE_KEYS) {
        throw new AssertionError(delete.keys().size() + " keys accepted");
      }
    } catch (S3Exception e) {
      FuzzInput.assertClientError(e);
    }
    try {
      List<CompletedPart> parts = UploadXml.parseComplete(body);
      if (parts.isEmpty() || parts.size() > UploadXml.MAX_PARTS) {
        throw new AssertionError(parts.size() + " parts accepted");
      }
      for (CompletedPart part : parts) {
        if (part.partNumber() < 1 || part.partNumber() > UploadXml.MAX_PARTS) {
          throw new AssertionError("part number " + part.partNumber() + " accepted");
        }
      }
    } catch (S3Exception e) {
      FuzzInput.assertClientError(e);
    }
  }
}
