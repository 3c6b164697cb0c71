package io.crossjobs.mockcloud.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Query-string parsing, XML escaping, SigV4 scope and filter wildcards. */
class FormatsTest {

    @Test
    void queryParamsDecodeAndNumberedLists() {
        QueryParams p = QueryParams.parse("Action=DescribeInstances&Version=2016-11-15&InstanceId.2=i-b"
                + "&InstanceId.1=i-a&InstanceId.10=i-j&Filter.1.Name=tag%3Ajob&Filter.1.Value.1=a+b%2Fc"
                + "&Filter.1.Value.2=%E2%82%AC&Filter.3.Name=x&Empty=&Flag&Action=Ignored");
        assertEquals("DescribeInstances", p.get("Action"));
        assertEquals(List.of("i-a", "i-b", "i-j"), p.list("InstanceId"));
        assertEquals(Set.of(1, 3), p.indexes("Filter"));
        assertEquals("tag:job", p.get("Filter.1.Name"));
        assertEquals(List.of("a b/c", "€"), p.list("Filter.1.Value"));
        assertEquals("", p.get("Empty"));
        assertEquals("", p.get("Flag"));
        assertTrue(p.list("Missing").isEmpty());
        Ec2Error missing = assertThrows(Ec2Error.class, () -> p.require("Empty"));
        assertEquals("MissingParameter", missing.code());
    }

    @Test
    void queryStringParametersAreMergedBodyFirst() {
        QueryParams p = QueryParams.parse("Action=RunInstances").with("Action=Other&MinCount=1");
        assertEquals("RunInstances", p.get("Action"));
        assertEquals("1", p.get("MinCount"));
    }

    @Test
    void aBadEscapeIsMalformedQueryString() {
        Ec2Error e = assertThrows(Ec2Error.class, () -> QueryParams.parse("Action=%zz"));
        assertEquals("MalformedQueryString", e.code());
        assertEquals(400, e.status());
    }

    @Test
    void xmlEscaping() {
        assertEquals("a&amp;b&lt;c&gt;&quot;&apos;", XmlWriter.escape("a&b<c>\"'"));
        assertEquals("tab\tnl\n\uFFFD", XmlWriter.escape("tab\tnl\n\u0001"));
        assertEquals("😀", XmlWriter.escape("😀"));
        assertEquals("\uFFFDx", XmlWriter.escape("\uD800x"));
        String xml = new XmlWriter().open("A", "urn:x").leaf("b", 1).leaf("skipped", null).empty("c").close("A")
                .toString();
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<A xmlns=\"urn:x\"><b>1</b><c/></A>", xml);
    }

    @Test
    void regionFromTheCredentialScope() {
        String auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-3/ec2/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=abc";
        assertEquals("eu-west-3", SigV4.region(auth, null, "us-east-1"));
        assertEquals("ap-south-1", SigV4.region(null, "AKID/20261128/ap-south-1/ec2/aws4_request", "us-east-1"));
        assertEquals("us-east-1", SigV4.region("Basic xyz", null, "us-east-1"));
        assertEquals("us-east-1", SigV4.region(null, null, "us-east-1"));
    }

    @Test
    void filterWildcards() {
        assertTrue(Ec2Filters.wildcard("job-*").matcher("job-123").matches());
        assertTrue(Ec2Filters.wildcard("job-?").matcher("job-1").matches());
        assertFalse(Ec2Filters.wildcard("job-?").matcher("job-12").matches());
        assertTrue(Ec2Filters.wildcard("a.b(c)").matcher("a.b(c)").matches());
        assertFalse(Ec2Filters.wildcard("a.b").matcher("axb").matches());
        assertTrue(Ec2Filters.wildcard("lit\\*").matcher("lit*").matches());
        assertFalse(Ec2Filters.wildcard("lit\\*").matcher("literal").matches());
        assertFalse(Ec2Filters.wildcard("Job").matcher("job").matches());
    }

    @Test
    void instanceTypes() {
        Ec2InstanceTypes types = new Ec2InstanceTypes(List.of("x9.huge"));
        assertTrue(types.isKnown("t3.micro"));
        assertTrue(types.isKnown("m5.large"));
        assertTrue(types.isKnown("c7g.medium"));
        assertTrue(types.isKnown("g5.xlarge"));
        assertTrue(types.isKnown("x9.huge"));
        assertFalse(types.isKnown("t3.mirco"));
        assertEquals("arm64", Ec2InstanceTypes.architecture("c7g.large"));
        assertEquals("arm64", Ec2InstanceTypes.architecture("t4g.small"));
        assertEquals("x86_64", Ec2InstanceTypes.architecture("g4dn.xlarge"));
        assertEquals("x86_64", Ec2InstanceTypes.architecture("m5.large"));
    }
}
