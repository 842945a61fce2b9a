import Glibc

/// Makes tenant object ids.
public enum ObjectID {
    /// A new random object id in Graph's form (a lower-case version 4 UUID).
    public static func make() -> String {
        format(randomValues(1)[0])
    }

    /// `count` new random object ids, in ascending order. A run that creates many objects at once (a first sync)
    /// then writes them in the order of the store's id index, and sorting them by id is already done.
    public static func makeAscending(_ count: Int) -> [String] {
        guard count > 0 else { return [] }
        return sortedByValue(randomValues(count)).map(format)
    }

    /// The values in ascending order: spread into buckets by their top 16 bits, which uniform random values fill
    /// evenly, then put in order within each bucket. A comparison sort of 100,000 values took 8 ms of a first sync.
    static func sortedByValue(_ values: [(UInt64, UInt64)]) -> [(UInt64, UInt64)] {
        var starts = [Int](repeating: 0, count: 65_537)
        for value in values { starts[Int(value.0 >> 48) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        var sorted = [(UInt64, UInt64)](repeating: (0, 0), count: values.count)
        for value in values {
            let bucket = Int(value.0 >> 48)
            sorted[starts[bucket]] = value
            starts[bucket] += 1
        }
        // Insertion sort: every value is already among those of its bucket, a few places at most from its own.
        for index in sorted.indices.dropFirst() {
            let value = sorted[index]
            var place = index
            while place > 0 && value < sorted[place - 1] {
                sorted[place] = sorted[place - 1]
                place -= 1
            }
            sorted[place] = value
        }
        return sorted
    }

    /// `count` random 128-bit values, marked as version 4, RFC 4122 variant.
    private static func randomValues(_ count: Int) -> [(UInt64, UInt64)] {
        var values = [(UInt64, UInt64)](repeating: (0, 0), count: count)
        // The standard library's generator makes a system call for every eight bytes, which a first sync of many
        // objects feels: many values are read from the kernel's generator at once.
        let filled = count > 1 && values.withUnsafeMutableBytes { readKernelRandom(into: $0) }
        if !filled {
            var generator = SystemRandomNumberGenerator()
            for index in values.indices { values[index] = (generator.next(), generator.next()) }
        }
        for index in values.indices {
            values[index].0 = values[index].0 & ~0xf000 | 0x4000  // version 4: the high nibble of byte 6
            values[index].1 = values[index].1 & 0x3fff_ffff_ffff_ffff | 0x8000_0000_0000_0000  // variant: byte 8
        }
        return values
    }

    /// Fills `buffer` from `/dev/urandom`; `false` when that cannot be read whole.
    private static func readKernelRandom(into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var done = 0
        while done < buffer.count {
            let count = read(descriptor, buffer.baseAddress! + done, buffer.count - done)
            if count > 0 {
                done += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// The UUID text of a 128-bit value, most significant byte first, so that ids sort as their values do.
    private static func format(_ value: (UInt64, UInt64)) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { text in
            var written = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[written] = UInt8(ascii: "-")
                    written += 1
                }
                let half = index < 8 ? value.0 : value.1
                let byte = UInt8(truncatingIfNeeded: half >> (56 - 8 * UInt64(index % 8)))
                text[written] = digits.utf8Start[Int(byte >> 4)]
                text[written + 1] = digits.utf8Start[Int(byte & 0x0f)]
                written += 2
            }
            return written
        }
    }
}
