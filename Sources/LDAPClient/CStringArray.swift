#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A NULL-terminated `char **` built from Swift strings, freed when the value goes away.
///
/// An empty list gives a nil pointer, which libldap reads as "all user attributes".
final class CStringArray {
    private let buffer: UnsafeMutableBufferPointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        buffer = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { buffer[index] = strdup(string) }
        buffer[strings.count] = nil
    }

    deinit {
        for string in buffer { free(string) }
        buffer.deallocate()
    }

    /// The array for a C call; valid while `self` lives.
    var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        buffer.count > 1 ? buffer.baseAddress : nil
    }

    /// The strings of a NULL-terminated C array.
    static func strings(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
        guard let array else { return [] }
        var result: [String] = []
        var index = 0
        while let string = array[index] {
            result.append(String(cString: string))
            index += 1
        }
        return result
    }
}
