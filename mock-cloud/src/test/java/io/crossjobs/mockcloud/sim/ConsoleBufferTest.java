package io.crossjobs.mockcloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleBufferTest {
    @Test
    void appendsLinesAndStopsAtTheLimit() {
        ConsoleBuffer c = new ConsoleBuffer(10, new MutableClock());
        c.append("abc");
        c.appendLine("x");
        assertEquals("abc\nx\n", c.text());
        c.append("123456789");
        assertEquals("abc\nx\n1234" + ConsoleBuffer.TRUNCATED_NOTICE, c.text());
        c.append("more");
        assertEquals("abc\nx\n1234" + ConsoleBuffer.TRUNCATED_NOTICE, c.text());
    }
}
