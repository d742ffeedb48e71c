package org.tapdoctor.publish.mqtt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS socket factory the MQTT client connects with, from PEM files, with the JDK alone:
 * the broker's certificate must chain to the CA file (the JDK's own trust store is not used: a box
 * trusts its fleet's CA, not the web's), and an optional client certificate and key authenticate
 * the box. Keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}); convert others with {@code openssl pkcs8 -topk8 -nocrypt}.
 * Errors are {@link TlsException}s naming the file and what is wrong with it.
 */
public final class Tls {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private Tls() {
    }

    public static SSLSocketFactory socketFactory(Path caFile, Path certFile, Path keyFile) throws TlsException {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<Certificate> cas = certificates(caFile);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (certFile != null) {
                List<Certificate> chain = certificates(certFile);
                PrivateKey key = privateKey(keyFile);
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    static List<Certificate> certificates(Path file) throws TlsException {
        byte[] bytes = read(file);
        try {
            List<Certificate> certs = new ArrayList<>(
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes)));
            if (certs.isEmpty()) {
                throw new TlsException(file + ": no certificate in it (expected PEM 'BEGIN CERTIFICATE')");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new TlsException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) throws TlsException {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, rsaPkcs1ToPkcs8(der));
                }
                default -> throw new TlsException(file + ": '" + type + "' keys are not supported (expected an unencrypted "
                        + "PKCS#8 'PRIVATE KEY' or 'RSA PRIVATE KEY'; convert with: openssl pkcs8 -topk8 -nocrypt)");
            }
        }
        throw new TlsException(file + ": no private key in it (expected PEM 'BEGIN PRIVATE KEY')");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws TlsException {
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new TlsException(file + ": unreadable private key (not RSA, EC or Ed25519 PKCS#8)");
    }

    /** PKCS#8 PrivateKeyInfo { version 0, rsaEncryption with NULL parameters, OCTET STRING { the PKCS#1 key } }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01,
                0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        } else if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] read(Path file) throws TlsException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsException(file + ": cannot read: " + e, e);
        }
    }

    /** A TLS file or setting that cannot be used; the message names the file. */
    public static final class TlsException extends Exception {
        private static final long serialVersionUID = 1L;

        TlsException(String message) {
            super(message);
        }

        TlsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
