import Foundation

/// Fresh scratch directories for tests.
public enum TemporaryDirectory {
    /// Creates a new, empty directory under the system temporary directory and returns its path.
    public static func make(prefix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Removes a directory and everything in it; missing directories are fine.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
