/// The four masking bytes of a frame (RFC 6455 §5.3).
///
/// `value` holds them in memory order: storing it natively writes the bytes in the order
/// they appear on the wire, so it can be XORed with payload words loaded from memory
/// without byte swapping.
struct WebSocketMaskKey: Sendable, Equatable {
    var value: UInt32

    init(memoryOrder value: UInt32) {
        self.value = value
    }

    /// The key whose big-endian bytes are the masking bytes (the public API's `UInt32`).
    init(networkOrder key: UInt32) {
        self.value = key.bigEndian
    }

    /// The key for bytes that start `offset` bytes into the masked payload, so that byte 0
    /// of those bytes pairs with masking byte `offset % 4`.
    func rotated(by offset: Int) -> WebSocketMaskKey {
        let shift = UInt32(truncatingIfNeeded: offset & 3) &* 8
        guard shift != 0 else { return self }
        // As a little-endian number masking byte 0 is the low byte: shifting right moves
        // byte `offset` to the front.
        let number = UInt32(littleEndian: value)
        let rotated = (number &>> shift) | (number &<< (32 &- shift))
        return WebSocketMaskKey(memoryOrder: rotated.littleEndian)
    }

    /// XORs `count` bytes of `source` into `destination`, which may be the same memory
    /// (unmasking in place). Eight bytes at a time, unaligned loads and stores.
    func apply(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) {
        let half = UInt64(truncatingIfNeeded: value)
        let word = half | (half &<< 32)  // the key repeated, in memory order either way
        var index = 0
        while count &- index >= 32 {
            let a = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let b = source.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)
            let c = source.loadUnaligned(fromByteOffset: index &+ 16, as: UInt64.self)
            let d = source.loadUnaligned(fromByteOffset: index &+ 24, as: UInt64.self)
            destination.storeBytes(of: a ^ word, toByteOffset: index, as: UInt64.self)
            destination.storeBytes(of: b ^ word, toByteOffset: index &+ 8, as: UInt64.self)
            destination.storeBytes(of: c ^ word, toByteOffset: index &+ 16, as: UInt64.self)
            destination.storeBytes(of: d ^ word, toByteOffset: index &+ 24, as: UInt64.self)
            index &+= 32
        }
        while count &- index >= 8 {
            let a = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            destination.storeBytes(of: a ^ word, toByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        // Fewer than 8 bytes left, starting at a multiple of 8 (so at masking byte 0).
        var tail = word
        while index < count {
            let byte = source.load(fromByteOffset: index, as: UInt8.self)
            let keyByte = UInt8(truncatingIfNeeded: UInt64(littleEndian: tail))
            destination.storeBytes(of: byte ^ keyByte, toByteOffset: index, as: UInt8.self)
            tail = (UInt64(littleEndian: tail) &>> 8).littleEndian
            index &+= 1
        }
    }
}
