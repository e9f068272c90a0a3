package dev.tandem.session;

import dev.tandem.common.AeronSupport;
import dev.tandem.common.IdleMode;
import dev.tandem.dtls.DtlsCertificate;
import dev.tandem.dtls.DtlsEndpointFactory;
import dev.tandem.dtls.DtlsHandshakeExecutor;
import dev.tandem.route.RouteKeyRing;
import dev.tandem.route.RouteTokenMinter;
import dev.tandem.sdp.SdpParser;
import dev.tandem.sdp.SdpFixtures;
import dev.tandem.signaling.CallAnswer;
import dev.tandem.signaling.CallRequest;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionManagerTest
{
    private static final Pattern CNAME = Pattern.compile("a=ssrc:\\d+ cname:(\\S+)\r\n");

    @Test
    void everyOfferGetsAnAnswerWithATokenCname() throws Exception
    {
        final String directory = AeronSupport.uniqueDirectory("session-manager-test");
        final MediaDriver driver = AeronSupport.launchEmbeddedDriver(
            directory, ThreadingMode.SHARED, IdleMode.BACKOFF, Throwable::printStackTrace);
        final Aeron aeron = AeronSupport.connect(directory, Throwable::printStackTrace, "session-manager-test");
        final DtlsHandshakeExecutor executor = new DtlsHandshakeExecutor(1, 16, "test-dtls");
        try
        {
            final RouteKeyRing keys = RouteKeyRing.parse(RouteKeyRing.generateKeySpec(1), 1);
            final MediaAgent shard = new MediaAgent(new MediaAgent.Context()
                .aeron(aeron)
                .keyRing(keys)
                .dtlsFactory(new DtlsEndpointFactory(new DtlsEndpointFactory.Context()
                    .certificate(DtlsCertificate.generate(new SecureRandom()))
                    .executor(executor))));
            final SessionManager manager = new SessionManager(new MediaAgent[]{ shard }, 1000,
                new RouteTokenMinter(keys), 0, 0, new byte[32],
                List.of(new InetSocketAddress("127.0.0.1", 3478)), aeron, System::nanoTime);
            final Set<String> cnames = new HashSet<>();
            // 200 calls: with '/' in the alphabet about one CNAME in five used to be refused by the answer builder.
            final String offer = SdpFixtures.text("chromium-156-audio-datachannel.sdp");
            final CallRequest request = new CallRequest(
                new InetSocketAddress("127.0.0.1", 50000), "", null, CallRequest.Route.REALTIME);
            for (int i = 0; i < 200; i++)
            {
                final CallAnswer answer = manager.createCall(SdpParser.parseOffer(offer), request);
                final Matcher matcher = CNAME.matcher(answer.sdp());
                assertTrue(matcher.find(), answer.sdp());
                assertTrue(matcher.group(1).matches("[A-Za-z0-9]{16}"), matcher.group(1));
                cnames.add(matcher.group(1));
            }
            assertEquals(200, cnames.size());
            assertEquals(200, manager.activeSessions());
        }
        finally
        {
            CloseHelper.quietCloseAll(executor, aeron, driver);
        }
    }
}
