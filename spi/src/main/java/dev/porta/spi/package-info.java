/**
 * The API that Porta plugins implement.
 *
 * <p>A plugin is a PF4J plugin jar whose classes carry {@code @Extension} and implement one or more of
 * the extension points:
 * <ul>
 *   <li>{@link dev.porta.spi.Handler} — sees each request in chain order and answers it, passes it on,
 *       or wraps what comes back (content, access control, rewriting);</li>
 *   <li>{@link dev.porta.spi.ExchangeObserver} — is told about every exchange, exactly once, when it
 *       ends (access logs, metrics);</li>
 *   <li>{@link dev.porta.spi.ConnectionObserver} — is told about connections opened, closed and refused
 *       (metrics);</li>
 *   <li>{@link dev.porta.spi.CertificateProvider} — gives the HTTPS listener certificates by SNI host name
 *       (certificates obtained from a CA at run time, as the {@code acme} plugin does; since 1.1.0).</li>
 * </ul>
 * Porta creates each extension class once (a class that implements several is one instance), calls
 * {@link dev.porta.spi.Lifecycle#start} with a {@link dev.porta.spi.PluginContext} before the first
 * request and {@link dev.porta.spi.Lifecycle#stop} at shutdown; {@link dev.porta.spi.Lifecycle#check}
 * validates a config without side effects. A plugin logs through
 * {@link dev.porta.spi.PluginContext#logger()} and keeps its data in
 * {@link dev.porta.spi.PluginContext#dataDirectory()}, its own folder.
 *
 * <p>This is SPI version 1.2.0 (semantic versioning; 1.1.0 added {@link dev.porta.spi.CertificateProvider},
 * {@link dev.porta.spi.TlsCertificate} and {@link dev.porta.spi.PluginContext#certificatesChanged()}; 1.2.0 added
 * {@link dev.porta.spi.Body.OpenFile}, a file body the handler has already opened). A
 * plugin declares the versions it runs on in its manifest, {@code Plugin-Requires: >=1.2.0 & <2.0.0}; Porta refuses a plugin whose range leaves its own
 * SPI version out. The SPI, PF4J and tinylog's API are provided by the server: a plugin depends on them
 * with scope {@code provided} and never carries their classes. Requests, headers, responses and settings are immutable values; the only mutable state of
 * an exchange is its {@link dev.porta.spi.Attributes}.
 *
 * <p>The smallest handler:
 * <pre>{@code
 * @Extension(ordinal = 500)
 * public final class Hello implements Handler {
 *     public Response handle(Request request, Chain chain) throws IOException {
 *         if (!request.path().equals("/hello")) return chain.next(request);
 *         return Response.of(200).withHeader("Content-Type", "text/plain; charset=utf-8")
 *                 .withBody(Body.of("hello\n"));
 *     }
 * }
 * }</pre>
 */
package dev.porta.spi;
