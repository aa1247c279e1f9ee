import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Passwords are hashed with scrypt (node:crypto) and a random 16-byte salt, encoded as
 * `scrypt$N$r$p$salt$hash` (salt and hash in base64url), so the cost can be raised later without
 * breaking stored hashes: verification reads the parameters from the hash itself.
 *
 * N = 2^15, r = 8, p = 1 uses 32 MiB and about 50-100 ms per hash on the reference machine: slow
 * enough to make offline guessing expensive, cheap enough for sign-ins on a 2-core box.
 */
const COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Parameters read back from a stored hash are bounded, so a corrupted row cannot exhaust memory.
const MAX_COST = 2 ** 20;
const MAX_MEMORY = 256 * 1024 * 1024;

function deriveKey(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error("A password cannot be empty.");
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, {
    N: COST,
    r: BLOCK_SIZE,
    p: PARALLELISM,
    maxmem: MAX_MEMORY,
  });
  return ["scrypt", COST, BLOCK_SIZE, PARALLELISM, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** False for a wrong password and for anything that is not a hash this module wrote. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [cost, blockSize, parallelism] = parts.slice(1, 4).map(Number) as [number, number, number];
  const isPowerOfTwo = Number.isInteger(cost) && cost > 1 && (cost & (cost - 1)) === 0;
  if (!isPowerOfTwo || cost > MAX_COST || !(blockSize >= 1 && blockSize <= 32) || !(parallelism >= 1 && parallelism <= 16)) {
    return false;
  }
  if (128 * cost * blockSize > MAX_MEMORY) return false;
  const salt = Buffer.from(parts[4]!, "base64url");
  const expected = Buffer.from(parts[5]!, "base64url");
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await deriveKey(password, salt, expected.length, {
    N: cost,
    r: blockSize,
    p: parallelism,
    maxmem: MAX_MEMORY,
  });
  return timingSafeEqual(actual, expected);
}

/** A random password for generated accounts: 18 bytes, 24 base64url characters. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
