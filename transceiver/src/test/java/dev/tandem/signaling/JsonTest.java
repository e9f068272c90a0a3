package dev.tandem.signaling;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest
{
    @Test
    void readsEveryKindOfValue()
    {
        final Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null]," +
            " \"s\": \"x\\\"\\\\\\n\\u00e9\\u2028\", \"o\": {\"k\": {}}, \"e\": []} ");
        assertEquals(Arrays.asList(1.0, -2500.0, true, false, null), Json.at(value, "a"));
        assertEquals("x\"\\\n\u00e9\u2028", Json.at(value, "s"));
        assertEquals(Map.of(), Json.at(value, "o.k"));
        assertEquals(List.of(), Json.at(value, "e"));
        assertNull(Json.at(value, "o.missing.deeper"));
    }

    @Test
    void writesWhatItReads()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", "quote \" backslash \\ newline \n control \u0001 separator \u2028");
        map.put("list", Arrays.asList(1.5, "two", null, Boolean.TRUE));
        final String text = Json.write(map);
        assertEquals("{\"text\":\"quote \\\" backslash \\\\ newline \\n control \\u0001 separator \\u2028\"," +
            "\"list\":[1.5,\"two\",null,true]}", text);
        assertEquals(map, Json.parse(text));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow()
    {
        final String deep = "[".repeat(100_000) + "]".repeat(100_000);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(ex.getMessage().contains("nested deeper than " + Json.MAX_DEPTH), ex.getMessage());
        final String allowed = "{\"a\":".repeat(Json.MAX_DEPTH - 1) + "[]" + "}".repeat(Json.MAX_DEPTH - 1);
        assertEquals(List.of(), Json.at(Json.parse(allowed), String.join(".", Collections.nCopies(
            Json.MAX_DEPTH - 1, "a"))));
    }

    @Test
    void malformedTextIsRefusedWithWhereAndWhy()
    {
        for (final String bad : new String[]{
            "", "{", "[1,", "{\"a\" 1}", "\"open", "\"bad \\u12", "\"bad \\uZZZZ\"", "tru", "1.2.3", "{} x", "\"\\" })
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(ex.getMessage().contains(" at "), ex.getMessage());
        }
    }
}
