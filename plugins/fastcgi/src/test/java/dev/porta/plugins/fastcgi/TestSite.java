package dev.porta.plugins.fastcgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The PHP site the end-to-end tests run: one small script per behaviour checked. */
final class TestSite {

    private TestSite() {
    }

    /** Writes the site into {@code root}, and returns it. */
    static Path write(Path root) throws IOException {
        file(root, "index.php", "<?php echo 'root index';");
        file(root, "dir/index.php", "<?php echo 'dir index ', $_SERVER['SCRIPT_NAME'];");
        file(root, "env.php", "<?php header('Content-Type: application/json'); echo json_encode($_SERVER);");
        file(root, "form.php", """
                <?php
                header('Content-Type: text/plain');
                echo 'name=', $_POST['name'] ?? '', "\\n";
                echo 'text-md5=', md5($_POST['text'] ?? ''), "\\n";
                if (isset($_FILES['upload'])) {
                    echo 'file-md5=', md5_file($_FILES['upload']['tmp_name']), "\\n";
                    echo 'file-size=', $_FILES['upload']['size'], "\\n";
                    echo 'file-error=', $_FILES['upload']['error'], "\\n";
                }
                """);
        file(root, "input.php", "<?php echo md5(file_get_contents('php://input')), ' ', $_SERVER['CONTENT_LENGTH'] ?? '-';");
        file(root, "session.php", """
                <?php
                session_start();
                $_SESSION['visits'] = ($_SESSION['visits'] ?? 0) + 1;
                setcookie('first', 'a');
                setcookie('second', 'b');
                echo 'visits=', $_SESSION['visits'];
                """);
        file(root, "redirect.php", "<?php header('Location: /index.php');");
        file(root, "length.php", "<?php header('Content-Length: 10'); echo '0123456789';");
        file(root, "teapot.php", "<?php header('Status: 418 I am a teapot'); echo 'short and stout';");
        file(root, "missing.php", "<?php http_response_code(404);");
        file(root, "sleep.php", "<?php sleep((int) ($_GET['s'] ?? 5)); echo 'woke';");
        file(root, "stderr.php", "<?php error_log('written to stderr by a test'); echo 'logged';");
        file(root, "big.php", """
                <?php
                $mib = (int) ($_GET['mib'] ?? 50);
                $block = str_repeat('0123456789abcdef', 4096);
                for ($i = 0; $i < $mib * 16; $i++) { echo $block; flush(); }
                """);
        file(root, "front.php", "<?php echo 'front ', $_SERVER['REQUEST_URI'], ' ', $_SERVER['SCRIPT_NAME'];");
        file(root, "uploads/cat.jpg", "<?php echo 'RAN THE IMAGE';");
        file(root, ".hidden.php", "<?php echo 'RAN A DOTFILE';");
        file(root, ".git/x.php", "<?php echo 'RAN IN A DOT FOLDER';");
        file(root, "private/whoami.php", "<?php echo $_SERVER['REMOTE_USER'] ?? '-', ' ', $_SERVER['AUTH_TYPE'] ?? '-';");
        return root;
    }

    private static void file(Path root, String name, String content) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
