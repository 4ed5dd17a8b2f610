/**
 * CRC-32 (IEEE 802.3 polynomial) over a string's UTF-16 code units, low byte first. Computed on the JavaScript
 * string itself so a journal line needs no extra byte copy; a line torn inside a multi-byte character decodes to
 * U+FFFD and fails the check like any other damage.
 *
 * @module
 */

// 16 bits per step (one code unit = two bytes at once): half the lookups of the byte-wise table, for 256 KiB of table.
const TABLE = makeTable();

function makeTable(): Uint32Array {
  const table = new Uint32Array(65536);
  for (let n = 0; n < 65536; n++) {
    let c = n;
    for (let k = 0; k < 16; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The checksum of `text`, as 8 lowercase hex digits. */
export function crc32Hex(text: string): string {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xffff]! ^ (crc >>> 16);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0");
}
