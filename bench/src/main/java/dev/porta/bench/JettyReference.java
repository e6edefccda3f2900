package dev.porta.bench;

import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** The Jetty 12 reference: a ResourceHandler over a folder, on Jetty's VirtualThreadPool. */
public final class JettyReference {

    private JettyReference() {
    }

    /** {@code JettyReference PORT ROOT}. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path root = Path.of(args[1]).toAbsolutePath();
        Server server = new Server(new VirtualThreadPool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ResourceHandler resources = new ResourceHandler();
        resources.setBaseResource(ResourceFactory.of(resources).newResource(root));
        resources.setDirAllowed(false);
        server.setHandler(resources);
        server.start();
        System.out.println("Jetty listening on http://127.0.0.1:" + port + "/");
        server.join();
    }
}
