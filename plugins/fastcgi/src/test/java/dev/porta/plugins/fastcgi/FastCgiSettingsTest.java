package dev.porta.plugins.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.porta.testkit.PortaTestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings as Porta checks a config: each problem with its FILE:LINE. */
class FastCgiSettingsTest {

    @TempDir
    Path root;

    List<String> check(String config) {
        return PortaTestServer.builder(root).config(config).handler("fastcgi", new FastCgi()).check();
    }

    @Test
    void aGoodConfigHasNoProblem() {
        assertEquals(List.of(), check("""
                fastcgi.address = unix:/run/php/php8.2-fpm.sock
                fastcgi.extensions = php, .phtml
                fastcgi.index = index.php, index.phtml
                fastcgi.front-controller = /index.php
                fastcgi.connect-timeout = 2s
                fastcgi.answer-timeout = 30s
                fastcgi.max-connections = 8
                fastcgi.idle-timeout = 10s
                fastcgi.pass-authorization = on
                fastcgi.param.APP_ENV = production
                """));
        assertEquals(List.of(), check("fastcgi.address = [::1]:9000\n"));
        assertEquals(List.of(), check("fastcgi.address = php:9000\n"));
    }

    @Test
    void badValuesNameFileAndLine() {
        assertEquals(List.of("test.properties:1: fastcgi.address: 'localhost' is neither unix:/path/to.sock nor HOST:PORT"),
                check("fastcgi.address = localhost\n"));
        assertEquals(List.of("test.properties:1: fastcgi.address: the socket path must be absolute: unix:php.sock"),
                check("fastcgi.address = unix:php.sock\n"));
        assertEquals(List.of("test.properties:2: fastcgi.front-controller: 'index.php' is not a path like /index.php to a script with one of the extensions [php]"),
                check("fastcgi.address = 127.0.0.1:9000\nfastcgi.front-controller = index.php\n"));
        assertEquals(List.of("test.properties:2: fastcgi.param.1X: '1X' is not a CGI variable name"),
                check("fastcgi.address = 127.0.0.1:9000\nfastcgi.param.1X = y\n"));
        assertEquals(1, check("fastcgi.address = 127.0.0.1:9000\nfastcgi.adress = x\n").size(), "a misspelt key is reported");
    }

    @Test
    void theAddressIsRequired() {
        assertEquals(1, check("fastcgi.extensions = php\n").size());
    }
}
