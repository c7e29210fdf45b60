/**
 * Personal numbers typed into free text (手机号, 身份证号, 座机) are masked wherever answers leave the database:
 * results, exports, digests. The stored answer is what the person typed.
 */
const ID_CARD = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3}-?)\d{4}(\d{3,4})(?!\d)/g;

export function maskPersonalNumbers(text: string): string {
  return text
    .replace(ID_CARD, (_m, a: string, b: string) => `${a}********${b}`)
    .replace(MOBILE, (_m, a: string, b: string) => `${a}****${b}`)
    .replace(LANDLINE, (_m, a: string, b: string) => `${a}****${b.slice(-2)}`);
}
