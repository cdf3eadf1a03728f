/**
 * The part of MIME Sniffing §4.4 "parse a MIME type" that the CORS safelist needs: the essence
 * (`type/subtype`, lowercased) or failure. Parameters never make parsing fail, so they are not
 * parsed here.
 */

const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function mimeEssence(input: string): string | null {
  const s = input.replace(HTTP_WHITESPACE, '');
  const slash = s.indexOf('/');
  if (slash === -1) return null;
  const type = s.slice(0, slash);
  if (type === '' || !TOKEN.test(type)) return null;
  const rest = s.slice(slash + 1);
  const semicolon = rest.indexOf(';');
  const subtype = (semicolon === -1 ? rest : rest.slice(0, semicolon)).replace(/[\t\n\r ]+$/, '');
  if (subtype === '' || !TOKEN.test(subtype)) return null;
  return `${type}/${subtype}`.toLowerCase();
}
