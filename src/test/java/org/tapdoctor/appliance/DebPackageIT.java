package org.tapdoctor.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The Debian package that {@code mvn package} builds: its control data and contents
 * ({@code dpkg-deb --info/--contents}), then an install into a Debian chroot with apt resolving
 * the dependencies, the user, files and enablement in place, {@code tapdoctor --version} with the
 * class-data sharing archive that postinst made (and made again by the trigger on /usr/lib/jvm
 * once stale), and a purge that leaves nothing behind (deb-chroot-test.sh; the chroot is cached
 * under /var/tmp).
 */
class DebPackageIT {

    static Path deb() throws IOException {
        Path target = Path.of(System.getProperty("tapdoctor.jar", "target/tapdoctor.jar")).getParent();
        List<Path> debs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target, "tapdoctor_*_all.deb")) {
            s.forEach(debs::add);
        }
        assertEquals(1, debs.size(), "one tapdoctor_*_all.deb in " + target + ": " + debs);
        return debs.get(0);
    }

    @Test
    void shouldDeclareTheDependenciesAndShipTheAppliancesFiles() throws Exception {
        Path deb = deb();
        assertTrue(deb.getFileName().toString().matches("tapdoctor_[0-9][0-9A-Za-z.+~]*_all\\.deb"), deb.toString());
        String info = dpkgDeb("--info", deb);
        assertTrue(info.contains("Package: tapdoctor"), info);
        assertTrue(info.contains("Architecture: all"), info);
        assertTrue(info.contains("Depends: default-jre-headless (>= 2:1.17) | openjdk-17-jre-headless, libpcap0.8"), info);
        for (String script : List.of("postinst", "prerm", "postrm", "conffiles", "triggers")) {
            assertTrue(info.contains(" " + script), "control member " + script + ":\n" + info);
        }
        String version = dpkgDeb("--field", deb, "Version").trim();
        Process cmp = new ProcessBuilder("dpkg", "--compare-versions", version, "lt", "999").start();
        assertEquals(0, cmp.waitFor(), "dpkg does not accept the version " + version);

        String contents = dpkgDeb("--contents", deb);
        // "mode owner path" for the files whose mode matters, the path alone for the others
        for (String file : List.of(
                "-rw-r--r-- root/root ./usr/share/tapdoctor/tapdoctor.jar",
                "-rwxr-xr-x root/root ./usr/bin/tapdoctor",
                "-rwxr-xr-x root/root ./usr/share/tapdoctor/make-cds-archive",
                "-rw-r--r-- root/root ./usr/share/tapdoctor/site-visit.pcap",
                "-rw-r--r-- root/root ./etc/tapdoctor/tapdoctor.conf",
                "./lib/systemd/system/tapdoctor.service",
                "./lib/systemd/system/tapdoctor-offloads@.service",
                "./lib/udev/rules.d/60-tapdoctor-gpio-i2c.rules",
                "./lib/udev/rules.d/81-tapdoctor-offloads.rules",
                "./usr/lib/modules-load.d/tapdoctor.conf",
                "./usr/share/tapdoctor/network/10-tapdoctor-tapA.link",
                "./usr/share/tapdoctor/network/10-tapdoctor-tapB.link",
                "./usr/share/tapdoctor/network/20-tapdoctor-br0.netdev",
                "./usr/share/tapdoctor/network/20-tapdoctor-br0.network",
                "./usr/share/tapdoctor/network/20-tapdoctor-tapA.network",
                "./usr/share/tapdoctor/network/20-tapdoctor-tapB.network",
                "./usr/share/tapdoctor/board/raspi-firmware-custom",
                "./usr/share/doc/tapdoctor/README.md")) {
            String[] parts = file.split(" ");
            String path = parts[parts.length - 1];
            String mode = parts.length == 3 ? parts[0] + " " + parts[1] + " " : "";
            assertTrue(contents.lines().anyMatch(l -> l.startsWith(mode) && l.endsWith(" " + path)),
                    file + " not in the package:\n" + contents);
        }
        String conffiles = control(deb, "conffiles");
        assertEquals("/etc/tapdoctor/tapdoctor.conf", conffiles.trim());
        // a new JVM build cannot map the old class-data sharing archive: postinst makes it again
        assertEquals("interest-noawait /usr/lib/jvm", control(deb, "triggers").trim());
        assertEquals(Files.readString(Path.of("board/tapdoctor.conf")), control(deb, "../data/etc/tapdoctor/tapdoctor.conf"),
                "the package's tapdoctor.conf is board/tapdoctor.conf");
    }

    @Test
    void shouldInstallIntoADebianChrootAndPurgeWithoutATrace() throws Exception {
        ApplianceScript.requirePrerequisites("DebPackageIT", "deb-chroot-test.sh", true);
        Path work = Path.of("target/appliance/deb-chroot").toAbsolutePath();
        List<String> out = ApplianceScript.run(work.resolve("deb-chroot-test.log"), 20, "deb-chroot-test.sh",
                deb().toAbsolutePath().toString(), work.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("tapdoctor --version: tapdoctor ")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("class-data sharing archive made by postinst: ")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("class-data sharing archive made again by the trigger: ")),
                String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.endsWith("purge ok: nothing left behind")), String.join("\n", out));
    }

    private static String dpkgDeb(String option, Path deb, String... more) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dpkg-deb", option, deb.toString()));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), "dpkg-deb " + option + " " + deb);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A member of the control archive, or (with ../data/PATH) a file of the data archive. */
    private static String control(Path deb, String member) throws IOException, InterruptedException {
        String shell = member.startsWith("../data/")
                ? "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ./" + member.substring("../data/".length())
                : "dpkg-deb --ctrl-tarfile \"$0\" | tar -xOf - ./" + member;
        Process p = new ProcessBuilder("sh", "-c", shell, deb.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), shell);
        return new String(out, StandardCharsets.UTF_8);
    }
}
