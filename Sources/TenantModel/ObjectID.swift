import Glibc

/// Makes tenant object ids.
public enum ObjectID {
    /// A new random object id in Graph's form (a lower-case version 4 UUID).
    public static func make() -> String {
        var bytes = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &bytes) { raw in
            // glibc's arc4random is a cryptographic generator in user space, seeded from the kernel; the standard
            // library's generator makes a system call for every eight bytes, which a first sync feels.
            arc4random_buf(raw.baseAddress!, raw.count)
            raw[6] = raw[6] & 0x0f | 0x40  // version 4
            raw[8] = raw[8] & 0x3f | 0x80  // RFC 4122 variant
            let digits: StaticString = "0123456789abcdef"
            return String(unsafeUninitializedCapacity: 36) { text in
                var written = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[written] = UInt8(ascii: "-")
                        written += 1
                    }
                    text[written] = digits.utf8Start[Int(byte >> 4)]
                    text[written + 1] = digits.utf8Start[Int(byte & 0x0f)]
                    written += 2
                }
                return written
            }
        }
    }
}
