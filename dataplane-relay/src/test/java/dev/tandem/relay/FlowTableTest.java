package dev.tandem.relay;

import dev.tandem.common.ClientAddress;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowTableTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void findsWhatWasInsertedAndNothingElse()
    {
        final FlowTable table = new FlowTable(16);
        final long low = ClientAddress.ipv4Low(0x0A000001);
        final int slot = table.insert(0, low, 5000, 77L, 3, 1, "endpoint", 10);

        assertEquals(slot, table.find(0, low, 5000));
        assertEquals(77L, table.route(slot));
        assertEquals(3, table.destination(slot));
        assertEquals(1, table.socket(slot));
        assertEquals("endpoint", table.endpoint(slot));
        assertEquals(FlowTable.NOT_FOUND, table.find(0, low, 5001));
        assertEquals(FlowTable.NOT_FOUND, table.find(0, low + 1, 5000));
        assertEquals(FlowTable.NOT_FOUND, table.find(1, low, 5000));
        assertEquals(1, table.size());
    }

    @Test
    void portZeroIsAKeyNotAnEmptySlot()
    {
        final FlowTable table = new FlowTable(4);
        final int slot = table.insert(0, 1, 0, 1, 0, 0, null, 0);
        assertEquals(slot, table.find(0, 1, 0));
    }

    @Test
    void refusesFlowsBeyondCapacity()
    {
        final FlowTable table = new FlowTable(3);
        for (int port = 1; port <= 3; port++)
        {
            assertTrue(table.insert(0, 1, port, 0, 0, 0, null, 0) >= 0);
        }
        assertEquals(FlowTable.FULL, table.insert(0, 1, 4, 0, 0, 0, null, 0));
        assertTrue(table.remove(0, 1, 2));
        assertTrue(table.insert(0, 1, 4, 0, 0, 0, null, 0) >= 0);
        assertEquals(3, table.size());
    }

    @Test
    void expiresOnlyIdleFlowsWithBoundedWorkPerCall()
    {
        final FlowTable table = new FlowTable(64);
        for (int port = 0; port < 64; port++)
        {
            table.insert(0, 9, port, 0, 0, 0, null, port < 32 ? 0 : 20 * SECOND_NS);
        }
        final long nowNs = 31 * SECOND_NS;
        final int slots = 128;
        int removed = 0;
        for (int call = 0; call < slots / 8 + 4; call++)
        {
            final int n = table.expire(nowNs, 30 * SECOND_NS, 8);
            assertTrue(n <= 8, "bounded work per call");
            removed += n;
        }
        assertEquals(32, removed);
        assertEquals(32, table.size());
        for (int port = 0; port < 64; port++)
        {
            assertEquals(port >= 32, table.find(0, 9, port) >= 0, "port " + port);
        }
    }

    @Test
    void touchKeepsAFlowAlive()
    {
        final FlowTable table = new FlowTable(4);
        final int slot = table.insert(0, 1, 1, 0, 0, 0, null, 0);
        table.touch(slot, 25 * SECOND_NS);
        for (int i = 0; i < 4; i++)
        {
            table.expire(40 * SECOND_NS, 30 * SECOND_NS, 8);
        }
        assertEquals(slot, table.find(0, 1, 1));
        for (int i = 0; i < 4; i++)
        {
            table.expire(56 * SECOND_NS, 30 * SECOND_NS, 8);
        }
        assertEquals(FlowTable.NOT_FOUND, table.find(0, 1, 1));
        assertEquals(0, table.size());
    }

    @Test
    void removalKeepsEveryOtherKeyReachableUnderCollisions()
    {
        // A small table, full to capacity: long probe runs that wrap around the end of the arrays.
        final int capacity = 512;
        final FlowTable table = new FlowTable(capacity);
        final Random random = new Random(42);
        final Map<Long, Integer> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++)
        {
            final int port = random.nextInt(capacity * 2);
            final long key = port;
            final boolean present = model.containsKey(key);
            if (random.nextBoolean())
            {
                if (!present)
                {
                    final int slot = table.insert(0, 0xABCD, port, port * 3L, port, 0, null, step);
                    if (model.size() >= capacity)
                    {
                        assertEquals(FlowTable.FULL, slot);
                    }
                    else
                    {
                        assertTrue(slot >= 0);
                        model.put(key, port);
                    }
                }
            }
            else
            {
                assertEquals(present, table.remove(0, 0xABCD, port));
                model.remove(key);
            }
            if (step % 997 == 0)
            {
                for (int p = 0; p < capacity * 2; p++)
                {
                    final int slot = table.find(0, 0xABCD, p);
                    assertEquals(model.containsKey((long)p), slot >= 0, "port " + p + " at step " + step);
                    if (slot >= 0)
                    {
                        assertEquals(p * 3L, table.route(slot));
                    }
                }
            }
            assertEquals(model.size(), table.size());
        }
    }

    @Test
    void expiryWhileEntriesShiftDoesNotLoseLiveFlows()
    {
        final FlowTable table = new FlowTable(256);
        final Random random = new Random(7);
        for (int port = 0; port < 256; port++)
        {
            table.insert(random.nextLong(), random.nextLong(), port, port, 0, 0, null, port % 2 == 0 ? 0 : SECOND_NS);
        }
        for (int call = 0; call < 200; call++)
        {
            table.expire(SECOND_NS / 2 + 10, SECOND_NS / 2, 16);
        }
        assertEquals(128, table.size());
        final Random replay = new Random(7);
        for (int port = 0; port < 256; port++)
        {
            final long high = replay.nextLong();
            final long low = replay.nextLong();
            assertEquals(port % 2 == 1, table.find(high, low, port) >= 0);
        }
        assertFalse(table.remove(1, 2, 3));
    }
}
