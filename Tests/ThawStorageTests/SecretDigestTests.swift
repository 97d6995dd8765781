import Testing
@testable import ThawStorage

/// Tokens and sessions are looked up by this digest, and databases already hold
/// digests written by earlier builds, so its text must never change.
@Suite struct SecretDigestTests {
    @Test func isTheLowerCaseHexOfSHA256() {
        // The FIPS 180-2 test vectors.
        #expect(SecretDigest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecretDigest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func newSecretsAreDistinctAndCarryTheirPrefix() {
        let a = SecretDigest.newSecret(prefix: "tok_"), b = SecretDigest.newSecret(prefix: "tok_")
        #expect(a != b)
        #expect(a.hasPrefix("tok_") && a.count == 4 + 64)
    }
}
