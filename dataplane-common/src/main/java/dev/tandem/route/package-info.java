/**
 * The route token: the server ICE ufrag that tells a stateless relay which transceiver and shard own a session
 * (DESIGN.md "Route token"). {@link dev.tandem.route.RouteToken} documents the layout and unpacks routes,
 * {@link dev.tandem.route.RouteTokenMinter} mints (transceiver), {@link dev.tandem.route.RouteTokenVerifier}
 * verifies (relay, and the transceiver to find a session by nonce), {@link dev.tandem.route.RouteKeyRing} holds the
 * shared keys and {@link dev.tandem.route.RouteSettings} names their settings.
 */
package dev.tandem.route;
