package io.strata.proxy.s3.xml;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads S3 request bodies, which come from untrusted clients, into DOM elements.
 *
 * <p>Hardening, after the OWASP XML External Entity Prevention Cheat Sheet ("Java:
 * DocumentBuilderFactory"): any DOCTYPE is a fatal error, which alone rules out XXE, external
 * DTDs and entity expansion ("billion laughs"); external entities, external DTD/schema access
 * and XInclude are off as well in case that feature is ever dropped; secure processing keeps
 * the JDK's limits on; and elements may nest at most {@link #MAX_DEPTH} deep, so a deeply nested
 * body cannot exhaust the stack. We ask for the JDK's own parser ({@code newDefaultInstance})
 * so that a Xerces jar on the class path cannot swap in one that ignores these settings.
 *
 * <p>Every failure, whatever the parser's reason, is {@link S3ErrorCode#MALFORMED_XML} with its
 * default message: parser messages name line numbers and internals a client has no use for. The
 * silent error handler keeps the JDK parser from printing "[Fatal Error]" lines to stderr.
 *
 * <p>Names are matched by local name in the S3 namespace or in none: the AWS SDKs send the
 * namespace, hand-written (curl) bodies usually do not.
 */
final class XmlReader {
  /** The deepest S3 request body is three levels (Delete/Object/Key); leave room for more. */
  static final int MAX_DEPTH = 16;

  // The JDK parser's API name for the jdk.xml.maxElementDepth limit.
  private static final String MAX_ELEMENT_DEPTH =
      "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

  private static final ErrorHandler SILENT = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {
      // Warnings are not failures; stay quiet.
    }

    @Override
    public void error(SAXParseException e) throws SAXParseException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXParseException {
      throw e;
    }
  };

  private XmlReader() {}

  /** Parses {@code xml} and returns its root, which must be {@code rootName}. */
  static Element parseRoot(byte[] xml, String rootName) {
    requireNonNull(xml, "xml");
    Element root;
    try {
      DocumentBuilder builder = newFactory().newDocumentBuilder();
      builder.setErrorHandler(SILENT);
      builder.setEntityResolver((publicId, systemId) -> {
        // Unreachable while DOCTYPE is disallowed; refuse rather than fetch if it ever is not.
        throw new SAXException("external entity refused");
      });
      root = builder.parse(new ByteArrayInputStream(xml)).getDocumentElement();
    } catch (ParserConfigurationException e) {
      // The JDK parser supports every feature we set, so this is a broken runtime, not a client.
      throw new IllegalStateException("XML parser lacks a required security feature", e);
    } catch (SAXException | IOException e) {
      throw malformed(e);
    }
    if (!is(root, rootName)) {
      throw malformed(null);
    }
    return root;
  }

  /** The element children of {@code parent}, in document order, whatever their names. */
  static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE) {
        out.add((Element) n);
      }
    }
    return out;
  }

  /** Whether {@code e} is named {@code name} in the S3 namespace or in none. */
  static boolean is(Element e, String name) {
    String ns = e.getNamespaceURI();
    return name.equals(e.getLocalName()) && (ns == null || ns.equals(XmlWriter.S3_NAMESPACE));
  }

  /**
   * The character data of a leaf element, untrimmed (object keys may begin or end with spaces).
   * A child element where text belongs is a schema violation.
   */
  static String text(Element e) {
    StringBuilder sb = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      switch (n.getNodeType()) {
        case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> sb.append(n.getNodeValue());
        case Node.ELEMENT_NODE -> throw malformed(null);
        default -> {
          // Comments and processing instructions carry no value.
        }
      }
    }
    return sb.toString();
  }

  static S3Exception malformed(Throwable cause) {
    // The cause is kept for our logs only; S3Xml.error renders just the default message.
    return cause == null
        ? new S3Exception(S3ErrorCode.MALFORMED_XML)
        : new S3Exception(S3ErrorCode.MALFORMED_XML, S3ErrorCode.MALFORMED_XML.defaultMessage(),
            cause);
  }

  private static DocumentBuilderFactory newFactory() throws ParserConfigurationException {
    // A factory per parse: DocumentBuilderFactory is not guaranteed thread-safe, and creating
    // the JDK default one involves no service lookup.
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setAttribute(MAX_ELEMENT_DEPTH, MAX_DEPTH);
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setValidating(false);
    f.setIgnoringComments(true);
    f.setCoalescing(true);
    return f;
  }
}
