package io.strata.proxy.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The fixed security regression for the XML bodies (the fuzz target is
 * {@link UploadXmlFuzzTest}): XXE against {@code /etc/passwd} and billion laughs, through both
 * request parsers, end as 400 MalformedXML with the default message and nothing of the file
 * anywhere in the exception, its details or its causes.
 */
class XmlExternalEntityTest {
  private static final String PASSWD_XXE =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>";
  private static final String BILLION_LAUGHS = billionLaughs();

  @Test
  void parseDelete_xxeEtcPasswd_malformedXmlWithoutFileContent() {
    assertRefusedWithoutLeak(UploadXml::parseDelete,
        PASSWD_XXE.replace("r [", "Delete [") + "<Delete><Object><Key>&x;</Key></Object></Delete>");
  }

  @Test
  void parseComplete_xxeEtcPasswd_malformedXmlWithoutFileContent() {
    assertRefusedWithoutLeak(UploadXml::parseComplete,
        PASSWD_XXE.replace("r [", "CompleteMultipartUpload [") + "<CompleteMultipartUpload><Part>"
            + "<ETag>&x;</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>");
  }

  @Test
  void parseDelete_billionLaughs_malformedXml() {
    assertRefusedWithoutLeak(UploadXml::parseDelete,
        BILLION_LAUGHS + "<Delete><Object><Key>&lol9;</Key></Object></Delete>");
  }

  @Test
  void parseComplete_billionLaughs_malformedXml() {
    assertRefusedWithoutLeak(UploadXml::parseComplete, BILLION_LAUGHS
        + "<CompleteMultipartUpload><Part><ETag>&lol9;</ETag><PartNumber>1</PartNumber></Part>"
        + "</CompleteMultipartUpload>");
  }

  private static void assertRefusedWithoutLeak(Function<byte[], ?> parser, String body) {
    S3Exception e = catchThrowableOfType(
        () -> parser.apply(body.getBytes(StandardCharsets.UTF_8)), S3Exception.class);

    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML);
    assertThat(e.code().status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo(S3ErrorCode.MALFORMED_XML.defaultMessage());
    assertThat(e.details()).isEmpty();
    String passwdLine = firstLineOfEtcPasswd();
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(passwdLine).doesNotContain("lollollol");
    }
  }

  private static String firstLineOfEtcPasswd() {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).get(0);
    } catch (Exception e) {
      return "root:x:0:0:"; // what the file would start with
    }
  }

  private static String billionLaughs() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      String previous = i == 1 ? "&lol;" : "&lol" + (i - 1) + ";";
      dtd.append("<!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">");
    }
    return dtd.append("]>").toString();
  }
}
