import Glibc

/// A failed system call on a local socket, with the operation, the peer address and `errno`.
public struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The system call or step that failed (`socket`, `sendto`, `memfd_create`, ...).
    public var operation: String
    /// The socket address the call was about (a path, or `@name` for an abstract socket).
    public var address: String
    /// The `errno` value the call left.
    public var code: Int32

    public init(operation: String, address: String, code: Int32) {
        self.operation = operation
        self.address = address
        self.code = code
    }

    public var description: String {
        "\(operation) on \(address) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// The address of a local datagram socket: a file system path, or an abstract name (written `@name`).
struct UnixSocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bytes of `sun_path`: the path, or a zero byte followed by the abstract name.
    let pathBytes: [UInt8]

    /// Parses `/path` or `@abstract`; `nil` when empty or longer than `sun_path` allows.
    init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes[0] == UInt8(ascii: "@") {
            bytes[0] = 0
        }
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        // A path needs room for its terminating zero; an abstract name does not.
        guard bytes.count < capacity || (bytes[0] == 0 && bytes.count <= capacity) else { return nil }
        pathBytes = bytes
    }

    var description: String {
        pathBytes.first == 0 ? "@" + String(decoding: pathBytes.dropFirst(), as: UTF8.self) : String(decoding: pathBytes, as: UTF8.self)
    }

    /// Calls `body` with a filled `sockaddr_un` and its length.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        // Abstract names are exactly as long as given; paths include the terminating zero.
        let length = pathOffset + pathBytes.count + (pathBytes.first == 0 ? 0 : 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(length)) }
        }
    }
}

/// An unbound `AF_UNIX`/`SOCK_DGRAM` socket that sends datagrams (and file descriptors) to a local address.
///
/// All raw socket and memfd calls of the target live here, each return code checked.
final class UnixDatagramSocket: Sendable {
    private let descriptor: Int32

    init() throws(SocketError) {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_UNIX, type, 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", address: "-", code: errno) }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Sends `bytes` as one datagram; throws with `EMSGSIZE` when it is too large for one.
    func send(_ bytes: [UInt8], to address: UnixSocketAddress) throws(SocketError) {
        let sent = bytes.withUnsafeBytes { buffer in
            address.withSockaddr { sockaddrPointer, length in
                retryingOnInterrupt { sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) }
            }
        }
        guard sent >= 0 else { throw SocketError(operation: "sendto", address: address.description, code: errno) }
    }

    /// Writes `bytes` to a sealed memfd and sends only its descriptor (`SCM_RIGHTS`), for payloads too large
    /// for a datagram. journald reads the whole entry from the file.
    func sendSealedMemory(_ bytes: [UInt8], to address: UnixSocketAddress) throws(SocketError) {
        let memory = try Self.makeSealedMemoryFile(containing: bytes, address: address)
        defer { close(memory) }
        try sendDescriptor(memory, to: address)
    }

    private func sendDescriptor(_ fd: Int32, to address: UnixSocketAddress) throws(SocketError) {
        // CMSG_SPACE/CMSG_LEN are macros Swift cannot import: lay out one cmsghdr followed by one int by hand.
        let alignment = MemoryLayout<Int>.size
        let headerSize = (MemoryLayout<cmsghdr>.size + alignment - 1) / alignment * alignment
        let payloadSpace = (MemoryLayout<Int32>.size + alignment - 1) / alignment * alignment
        var control = [UInt8](repeating: 0, count: headerSize + payloadSpace)
        control.withUnsafeMutableBytes { raw in
            var header = cmsghdr()
            header.cmsg_len = .init(headerSize + MemoryLayout<Int32>.size)
            header.cmsg_level = SOL_SOCKET
            header.cmsg_type = Int32(SCM_RIGHTS)
            raw.storeBytes(of: header, as: cmsghdr.self)
            raw.storeBytes(of: fd, toByteOffset: headerSize, as: Int32.self)
        }
        let sent = address.withSockaddr { sockaddrPointer, length in
            control.withUnsafeMutableBytes { controlBuffer in
                var message = msghdr()
                message.msg_name = UnsafeMutableRawPointer(mutating: sockaddrPointer)
                message.msg_namelen = length
                message.msg_control = controlBuffer.baseAddress
                message.msg_controllen = .init(controlBuffer.count)
                return retryingOnInterrupt { sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL)) }
            }
        }
        guard sent >= 0 else { throw SocketError(operation: "sendmsg", address: address.description, code: errno) }
    }

    private static func makeSealedMemoryFile(containing bytes: [UInt8], address: UnixSocketAddress) throws(SocketError) -> Int32 {
        // memfd_create is declared only under _GNU_SOURCE, which the Glibc module does not set: look it up.
        typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") else {
            throw SocketError(operation: "memfd_create", address: address.description, code: ENOSYS)
        }
        let memfdCreate = unsafeBitCast(symbol, to: MemfdCreate.self)
        let closeOnExec: UInt32 = 0x1, allowSealing: UInt32 = 0x2
        let fd = memfdCreate("journal-entry", closeOnExec | allowSealing)
        guard fd >= 0 else { throw SocketError(operation: "memfd_create", address: address.description, code: errno) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                retryingOnInterrupt { write(fd, buffer.baseAddress! + written, buffer.count - written) }
            }
            guard result > 0 else {
                let code = errno
                close(fd)
                throw SocketError(operation: "write(memfd)", address: address.description, code: code)
            }
            written += result
        }
        // F_ADD_SEALS with SEAL | SHRINK | GROW | WRITE: journald only takes a sealed file from us.
        let addSeals: Int32 = 1033, allSeals: Int32 = 0x1 | 0x2 | 0x4 | 0x8
        guard fcntl(fd, addSeals, allSeals) == 0 else {
            let code = errno
            close(fd)
            throw SocketError(operation: "fcntl(F_ADD_SEALS)", address: address.description, code: code)
        }
        return fd
    }
}

/// Repeats a system call that returned -1 with `EINTR`.
private func retryingOnInterrupt(_ call: () -> Int) -> Int {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}
