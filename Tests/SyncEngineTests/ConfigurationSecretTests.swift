import Foundation
import Testing
@testable import SyncEngine

@Suite("The bind password: where it is read from and how it is protected")
struct ConfigurationSecretTests {
    private let secret = "s3cret-Value"

    /// Writes a configuration naming `passwordFile` and returns its path.
    private func writeConfig(in directory: URL, bind: String) throws -> String {
        let path = directory.appendingPathComponent("tenantsync.yaml")
        try ConfigTestSupport.write(ConfigTestSupport.minimal + "  bind:\n    dn: cn=reader,dc=example,dc=org\n"
            + "    \(bind)\n", to: path, mode: 0o600)
        return path.path
    }

    private func loadErrors(_ path: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader.load(path: path, environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("a password file with mode 0600 loads, without its trailing newline")
    func loadsPrivateFile() throws {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let passwordPath = directory.appendingPathComponent("bind-password")
        try ConfigTestSupport.write(secret + "\n", to: passwordPath, mode: 0o600)
        let config = try ConfigLoader.load(
            path: try writeConfig(in: directory, bind: "passwordFile: \(passwordPath.path)"), environment: [:]
        )
        let source = try #require(config.directory.bind?.password)
        #expect(try source.load(environment: [:]) == secret)
        #expect(!String(describing: config).contains(secret))
    }

    @Test("a password file readable by group or others is an error naming the fix")
    func refusesOpenFile() throws {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let passwordPath = directory.appendingPathComponent("bind-password")
        try ConfigTestSupport.write(secret, to: passwordPath, mode: 0o644)
        let path = try writeConfig(in: directory, bind: "passwordFile: \(passwordPath.path)")
        let errors = loadErrors(path)
        #expect(errors == [
            "\(path):8:19: directory.bind.passwordFile: password file \(passwordPath.path) is readable by group "
                + "or others (mode 0644) (chmod 600 \(passwordPath.path))",
        ])
        #expect(!errors.joined().contains(secret))
    }

    @Test("a missing password file is an error at the passwordFile key")
    func missingFile() throws {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let passwordPath = directory.appendingPathComponent("absent")
        let path = try writeConfig(in: directory, bind: "passwordFile: \(passwordPath.path)")
        #expect(loadErrors(path) == [
            "\(path):8:19: directory.bind.passwordFile: password file \(passwordPath.path) does not exist "
                + "(create it with mode 0600 holding only the password)",
        ])
    }

    @Test("password problems are reported together with the other errors")
    func reportedWithOthers() throws {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let configPath = directory.appendingPathComponent("tenantsync.yaml")
        try ConfigTestSupport.write(ConfigTestSupport.minimal + "  pageSize: many\n  bind:\n"
            + "    dn: cn=reader,dc=example,dc=org\n    passwordFile: /nonexistent/bind-password\n",
            to: configPath, mode: 0o600)
        let errors = loadErrors(configPath.path)
        #expect(errors.count == 2)
        #expect(errors.first?.contains("directory.pageSize: expected an integer") == true)
        #expect(errors.last?.contains("directory.bind.passwordFile: password file") == true)
    }

    @Test("an empty password file is an error")
    func emptyFile() throws {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        let passwordPath = directory.appendingPathComponent("bind-password")
        try ConfigTestSupport.write("\n", to: passwordPath, mode: 0o400)
        let path = try writeConfig(in: directory, bind: "passwordFile: \(passwordPath.path)")
        #expect(loadErrors(path) == [
            "\(path):8:19: directory.bind.passwordFile: \(passwordPath.path) is empty "
                + "(an empty password would make the bind unauthenticated)",
        ])
    }

    @Test("a credential is read from $CREDENTIALS_DIRECTORY")
    func credential() throws {
        let (directory, cleanup) = try ConfigTestSupport.temporaryDirectory()
        defer { cleanup() }
        try ConfigTestSupport.write(secret + "\r\n", to: directory.appendingPathComponent("bind"), mode: 0o400)
        let path = try writeConfig(in: directory, bind: "credential: bind")
        let environment = ["CREDENTIALS_DIRECTORY": directory.path]
        let config = try ConfigLoader.load(path: path, environment: environment)
        #expect(try config.directory.bind?.password.load(environment: environment) == secret)
        #expect(loadErrors(path) == [
            "\(path):8:17: directory.bind.credential: credential bind needs $CREDENTIALS_DIRECTORY, which is not "
                + "set (run under systemd with LoadCredential=bind:PATH, or use passwordFile)",
        ])
    }

    @Test("a bind needs exactly one password source")
    func exactlyOneSource() {
        let both = ConfigTestSupport.minimal
            + "  bind: { dn: cn=a, passwordFile: /p, credential: c }\n"
        #expect(ConfigTestSupport.errors(both) == [
            "tenantsync.yaml:6:39: directory.bind.credential: passwordFile and credential are exclusive "
                + "(keep one of them)",
        ])
        let neither = ConfigTestSupport.minimal + "  bind: { dn: cn=a }\n"
        #expect(ConfigTestSupport.errors(neither) == [
            "tenantsync.yaml:6:9: directory.bind.passwordFile: missing required key "
                + "(give passwordFile or credential; leave out bind: to bind anonymously)",
        ])
    }

    @Test("without bind the directory is read anonymously")
    func anonymous() throws {
        let config = try ConfigDecoder.decode(yaml: ConfigTestSupport.minimal, file: "t.yaml", environment: [:])
        #expect(config.directory.bind == nil)
    }
}
