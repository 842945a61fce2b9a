import Foundation

/// A throwaway certificate authority made with `openssl`, and server certificates it issues.
///
/// Keys are P-256 (fast to make) and valid for two days. Nothing here is secret; the files live in the
/// directory given at creation, which the owner removes.
public struct TestCertificateAuthority: Sendable {
    /// PEM file with the CA certificate: what a client trusts.
    public let certificateFile: String
    /// PEM file with the CA's private key.
    public let keyFile: String
    /// The directory holding the files.
    public let directory: String

    /// Creates a new CA in `directory` (which must exist).
    public static func create(in directory: String, commonName: String = "Test CA") throws -> TestCertificateAuthority {
        let ca = TestCertificateAuthority(
            certificateFile: "\(directory)/ca.crt", keyFile: "\(directory)/ca.key", directory: directory)
        try ProcessRunner.run(
            "openssl",
            [
                "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", ca.keyFile, "-out", ca.certificateFile, "-days", "2", "-subj", "/CN=\(commonName)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        return ca
    }

    /// A CA in its own new temporary directory, unrelated to any server: for "unknown CA is refused" tests.
    /// Remove `directory` when done.
    public static func unrelated() throws -> TestCertificateAuthority {
        try create(in: TemporaryDirectory.make(prefix: "unrelated-ca"), commonName: "Unrelated Test CA")
    }

    /// Issues a server certificate for `127.0.0.1` and `localhost` (CN and SAN); returns (certificate, key) paths.
    public func issueServerCertificate(name: String = "server") throws -> (certificateFile: String, keyFile: String) {
        let key = "\(directory)/\(name).key"
        let request = "\(directory)/\(name).csr"
        let certificate = "\(directory)/\(name).crt"
        let extensions = "\(directory)/\(name).ext"
        try """
        subjectAltName=IP:127.0.0.1,DNS:localhost
        basicConstraints=critical,CA:FALSE
        keyUsage=critical,digitalSignature,keyEncipherment
        extendedKeyUsage=serverAuth

        """.write(toFile: extensions, atomically: true, encoding: .utf8)
        try ProcessRunner.run(
            "openssl",
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1",
            ])
        try ProcessRunner.run(
            "openssl",
            [
                "x509", "-req", "-in", request, "-CA", certificateFile, "-CAkey", keyFile, "-CAcreateserial",
                "-out", certificate, "-days", "2", "-extfile", extensions,
            ])
        return (certificate, key)
    }
}
