package io.crossjobs.mockcloud.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.crossjobs.mockcloud.ec2.XmlWriter;

/** S3's XML: the error shape and reading request bodies (namespace-agnostic, no DTDs or external entities). */
final class S3Xml {
    static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private S3Xml() { }

    static String error(S3Error e, String resource, String requestId) {
        XmlWriter w = new XmlWriter().open("Error").leaf("Code", e.code()).leaf("Message", e.getMessage());
        for (Map.Entry<String, String> d : e.details().entrySet()) w.leaf(d.getKey(), d.getValue());
        return w.leaf("Resource", resource).leaf("RequestId", requestId).close("Error").toString();
    }

    /** The document element of an XML body; MalformedXML when the body is not well-formed. */
    static Element parse(InputStream in) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document d = b.parse(in);
            return d.getDocumentElement();
        } catch (IOException | RuntimeException | javax.xml.parsers.ParserConfigurationException
                 | org.xml.sax.SAXException e) {
            throw S3Error.malformedXml();
        }
    }

    static String name(Node n) {
        return n.getLocalName() == null ? n.getNodeName() : n.getLocalName();
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element el && name.equals(name(el))) out.add(el);
        }
        return out;
    }

    /** The text of the single child of that name, or null. */
    static String text(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0).getTextContent();
    }
}
