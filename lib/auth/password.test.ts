import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";

describe("passwords", () => {
  it("hashes with scrypt and a random salt, and verifies", async () => {
    const hash = await hashPassword("correct horse");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await hashPassword("correct horse")).not.toBe(hash);
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horse ", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("reads the cost from the hash and refuses malformed or extreme ones", async () => {
    const hash = await hashPassword("pw");
    const cheaper = hash.replace("scrypt$32768$", "scrypt$16384$");
    expect(await verifyPassword("pw", cheaper)).toBe(false); // other parameters, other key
    expect(await verifyPassword("pw", "plaintext")).toBe(false);
    expect(await verifyPassword("pw", hash.replace("$32768$", "$1048577$"))).toBe(false);
    expect(await verifyPassword("pw", hash.replace("$32768$", "$4194304$"))).toBe(false);
    await expect(hashPassword("")).rejects.toThrow(/empty/);
  });

  it("generates random passwords", () => {
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(generatePassword());
  });
});
