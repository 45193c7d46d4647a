@testable import HubbubWebSocket
import Testing

@Suite("Masking")
struct MaskingTests {
    static let sizes = Array(0...33) + [63, 64, 65, 255, 4096, 65_537]

    @Test("word-wise masking equals per-byte masking at every size, alignment and key offset", arguments: sizes)
    func matchesReference(size: Int) {
        let payload = ScenarioCorpus.bytes(size)
        let keyBytes = Wire.keyBytes(Wire.key)
        for alignment in 0..<8 {
            for offset in 0..<4 {
                // The payload starts `alignment` bytes into the buffer, `offset` bytes into the mask.
                var buffer = [UInt8](repeating: 0xEE, count: alignment) + payload + [0xEE]
                let key = WebSocketMaskKey(networkOrder: Wire.key).rotated(by: offset)
                buffer.withUnsafeMutableBytes { raw in
                    let start = raw.baseAddress! + alignment
                    key.apply(from: UnsafeRawPointer(start), to: start, count: size)
                }
                let expected = payload.enumerated().map { $0.element ^ keyBytes[($0.offset + offset) % 4] }
                expectEqual(Array(buffer[alignment..<alignment + size]), expected, "alignment \(alignment) offset \(offset)")
                #expect(buffer[..<alignment].allSatisfy { $0 == 0xEE } && buffer.last == 0xEE, "wrote outside the range")
            }
        }
    }

    @Test("masking copies from one buffer into another at odd alignments")
    func outOfPlace() {
        let payload = ScenarioCorpus.bytes(1001)
        let source = [0] + payload
        var destination = [UInt8](repeating: 0, count: 1004)
        source.withUnsafeBytes { src in
            destination.withUnsafeMutableBytes { dst in
                WebSocketMaskKey(networkOrder: 0xA1B2_C3D4).apply(from: src.baseAddress! + 1, to: dst.baseAddress! + 3, count: 1001)
            }
        }
        expectEqual(Array(destination[3...]), Wire.mask(payload, key: 0xA1B2_C3D4))
    }

    @Test("rotation by 4 is the identity and rotations compose")
    func rotation() {
        let key = WebSocketMaskKey(networkOrder: 0x0102_0304)
        #expect(key.rotated(by: 4) == key)
        #expect(key.rotated(by: 1).rotated(by: 2) == key.rotated(by: 3))
        #expect(key.rotated(by: 1) == WebSocketMaskKey(networkOrder: 0x0203_0401))
    }

    @Test("client encode then server decode round-trips", arguments: sizes)
    func roundTrip(size: Int) throws {
        let payload = ScenarioCorpus.bytes(size)
        for key: UInt32 in [0, 0xFFFF_FFFF, 0x37FA_213D, 0x0000_00FF] {
            let frame = WebSocketFrameEncoder.encode(opcode: .binary, payload: payload, maskKey: key)
            expectEqual(frame, Wire.frame(0x2, payload, mask: key))
            var decoder = WebSocketFrameDecoder(role: .server, maxFrameSize: 1 << 20)
            // Feed with a one-byte lead so the payload sits at an odd offset of the input.
            let input = [0xFF] + frame
            input.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[1...])) }
            expectEqual(try decoder.next(), WebSocketFrame(opcode: .binary, payload: payload))
        }
    }

    @Test("payload unmasked across reads that end at every offset of the key")
    func unmaskAcrossReads() throws {
        let payload = ScenarioCorpus.bytes(40)
        let frame = Wire.binary(payload)
        for first in 7..<frame.count {
            for second in first..<min(first + 9, frame.count) {
                var decoder = WebSocketFrameDecoder(role: .server, maxFrameSize: 100)
                frame[..<first].withUnsafeBytes { decoder.append($0) }
                frame[first..<second].withUnsafeBytes { decoder.append($0) }
                frame[second...].withUnsafeBytes { decoder.append($0) }
                #expect(try decoder.next()?.payload == payload, "cuts \(first) \(second)")
            }
        }
    }
}
