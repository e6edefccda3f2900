package dev.porta.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.porta.server.plugin.LoadedExtension;
import dev.porta.spi.Attributes;
import dev.porta.spi.Body;
import dev.porta.spi.Chain;
import dev.porta.spi.ConfigException;
import dev.porta.spi.Handler;
import dev.porta.spi.Headers;
import dev.porta.spi.Request;
import dev.porta.spi.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineTest {

    private static final ErrorPages NO_PAGES = new ErrorPages(Path.of("/nonexistent"), Map.of());

    private static Request request(String path) {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
        return Request.builder().path(path).headers(Headers.of("Host", "x")).client(a)
                .body(new ByteArrayInputStream(new byte[0])).build();
    }

    private static Pipeline pipeline(Handler... handlers) {
        return new Pipeline(java.util.Arrays.stream(handlers).map(h -> new Pipeline.Step("p", h)).toList(), List.of(), NO_PAGES);
    }

    /** Runs the handlers in order; their plugin ids are p0, p1, ... */
    private static Pipeline.Answer answer(Request request, Handler... handlers) {
        List<Pipeline.Step> steps = new java.util.ArrayList<>();
        for (int i = 0; i < handlers.length; i++) steps.add(new Pipeline.Step("p" + i, handlers[i]));
        return new Pipeline(steps, List.of(), NO_PAGES).handle(request);
    }

    @Test
    void theAnswerNamesThePluginThatAnsweredOrLastChangedTheResponse() {
        Handler passOn = (r, chain) -> chain.next(r);
        Handler content = (r, chain) -> Response.of(200).withBody(Body.of("x"));
        Handler wrap = (r, chain) -> chain.next(r).withHeader("X-Wrapped", "yes");
        Handler refuse = (r, chain) -> Response.of(401);
        assertEquals("p1", answer(request("/"), passOn, content).answeredBy());
        assertEquals("p0", answer(request("/"), wrap, content).answeredBy());
        assertEquals("p0", answer(request("/"), refuse, content).answeredBy());
        assertEquals(null, answer(request("/"), passOn, passOn).answeredBy(), "nobody took it");
        assertEquals("p2", answer(request("/"), passOn, passOn, content).answeredBy());
    }

    @Test
    void aHandlerThatAnswersStopsTheChain() throws IOException {
        Handler first = (r, chain) -> Response.of(204);
        Handler second = mock(Handler.class);
        assertEquals(204, pipeline(first, second).handle(request("/")).response().status());
        verify(second, never()).handle(any(), any());
    }

    @Test
    void aHandlerPassesOnAChangedRequestAndWrapsTheAnswer() throws IOException {
        Handler rewrite = (r, chain) -> chain.next(r.withPath("/rewritten")).withHeader("X-Wrapped", "yes");
        Handler content = mock(Handler.class);
        when(content.handle(any(), any())).thenAnswer(inv -> {
            Request r = inv.getArgument(0);
            return Response.of(200).withBody(Body.of(r.path()));
        });
        Response response = pipeline(rewrite, content).handle(request("/original")).response();
        assertEquals("yes", response.headers().first("X-Wrapped").orElseThrow());
        assertEquals("/rewritten", new String(((Body.Bytes) response.body()).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theEndOfTheChainSaysNobodyHandledIt() throws IOException {
        Chain[] seen = new Chain[1];
        Response[] fromNext = new Response[1];
        Handler only = (r, chain) -> {
            seen[0] = chain;
            fromNext[0] = chain.next(r);
            return fromNext[0];
        };
        Response response = pipeline(only).handle(request("/")).response();
        assertFalse(fromNext[0].handled());
        assertSame(Response.notHandled(), fromNext[0]);
        assertEquals(404, response.status());
        assertTrue(response.body().length() > 0, "the error page is filled in");
    }

    @Test
    void aThrowingHandlerCostsA500AndTheOuterHandlerSeesIt() throws IOException {
        Handler outer = (r, chain) -> chain.next(r).withHeader("X-Outer", "saw " + chain.next(r).status());
        Handler broken = mock(Handler.class);
        when(broken.handle(any(), any())).thenThrow(new IllegalStateException("boom"));
        Response response = pipeline(outer, broken).handle(request("/")).response();
        assertEquals(500, response.status());
        assertEquals("saw 500", response.headers().first("X-Outer").orElseThrow());
    }

    @Test
    void aHeaderThatWouldSplitTheResponseIsA500() {
        Handler splitting = (r, chain) -> Response.of(200).withHeader("X", "a\r\nSet-Cookie: evil=1");
        assertEquals(500, pipeline(splitting).handle(request("/")).response().status());
        for (int informational : new int[] {100, 101, 103, 199}) {
            Handler early = (r, chain) -> Response.of(informational);
            assertEquals(500, pipeline(early).handle(request("/")).response().status(), "a final " + informational);
        }
        Handler badName = (r, chain) -> Response.of(200).withHeader("Bad Name", "v");
        assertEquals(500, pipeline(badName).handle(request("/")).response().status());
    }

    @Test
    void attributesReachTheHandlersAfter() {
        Handler auth = (r, chain) -> {
            r.attributes().set(Attributes.USER, "alice");
            return chain.next(r);
        };
        Handler content = (r, chain) -> Response.of(200).withBody(Body.of(r.attributes().get(Attributes.USER).orElse("-")));
        Response response = pipeline(auth, content).handle(request("/")).response();
        assertEquals("alice", new String(((Body.Bytes) response.body()).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void chainOrderFollowsOrdinalsThenTheOverride() {
        Handler a = (r, c) -> Response.of(200);
        Handler b = (r, c) -> Response.of(200);
        Handler c2 = (r, c) -> Response.of(200);
        List<LoadedExtension<Handler>> loaded = List.of(
                new LoadedExtension<>("static-index", 1000, a),
                new LoadedExtension<>("access-control", 100, b),
                new LoadedExtension<>("rewrite", 500, c2));
        assertEquals(List.of("access-control", "rewrite", "static-index"),
                ChainOrder.order(loaded, List.of(), "p").stream().map(Pipeline.Step::pluginId).toList());
        assertEquals(List.of("rewrite", "access-control", "static-index"),
                ChainOrder.order(loaded, List.of("rewrite", "access-control", "static-index"), "p").stream()
                        .map(Pipeline.Step::pluginId).toList());
        String missing = assertThrows(ConfigException.class,
                () -> ChainOrder.order(loaded, List.of("static-index", "rewrite"), "p:3")).getMessage();
        assertTrue(missing.startsWith("p:3: server.chain: does not name plugin 'access-control'"), missing);
        String unknown = assertThrows(ConfigException.class,
                () -> ChainOrder.order(loaded, List.of("static-index", "rewrite", "access-control", "nope"), "p:3")).getMessage();
        assertTrue(unknown.contains("no loaded plugin 'nope'"), unknown);
    }
}
