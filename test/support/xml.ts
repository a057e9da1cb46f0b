// A small, strict XML 1.0 well-formedness check for the reports memlint writes (elements,
// attributes, text, character and the five predefined entity references; no DTD, comments or
// CDATA, which memlint never writes). It returns the element tree, with references decoded.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, decoded (children's text not included). */
  text: string;
}

// Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_:][\w.:-]*$/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`${where}: a bare & (not a reference)`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(?:x([0-9A-Fa-f]+)|(\d+))$/.exec(ref);
    if (!m) throw new Error(`${where}: unknown reference &${ref};`);
    const code = m[1] ? Number.parseInt(m[1], 16) : Number(m[2]);
    const ch = code <= 0x10ffff ? String.fromCodePoint(code) : '\u0000';
    if (NOT_CHAR.test(ch) || (code >= 0xd800 && code <= 0xdfff)) throw new Error(`${where}: &${ref}; is not an XML character`);
    return ch;
  });
}

/** Parses `xml`, throwing on anything that is not well-formed. */
export function parseXml(xml: string): XmlElement {
  const bad = NOT_CHAR.exec(xml);
  if (bad) throw new Error(`character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${bad.index} is not allowed in XML 1.0`);
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (rest === xml) throw new Error('no XML declaration');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    if (text) {
      if (text.includes(']]>')) throw new Error('"]]>" in text');
      if (text.includes('>') && stack.length === 0) throw new Error('text outside the root');
      const decoded = decode(text, 'text');
      if (stack.length === 0) {
        if (decoded.trim()) throw new Error(`text outside the root: ${JSON.stringify(text.slice(0, 40))}`);
      } else stack[stack.length - 1]!.text += decoded;
    }
    if (lt === -1) break;
    rest = rest.slice(lt);
    const end = /^<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!end) throw new Error(`a malformed tag at ${JSON.stringify(rest.slice(0, 60))}`);
    const [whole, closing, name, attrs, selfClosing] = end;
    if (!NAME.test(name!)) throw new Error(`bad element name ${name}`);
    if (closing) {
      if (attrs || selfClosing) throw new Error(`a closing tag with attributes: ${whole}`);
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
    } else {
      if (root && stack.length === 0) throw new Error('a second root element');
      const element: XmlElement = { name: name!, attributes: {}, children: [], text: '' };
      for (const a of attrs!.matchAll(/([^\s=/>]+)="([^"<]*)"/g)) {
        if (!NAME.test(a[1]!)) throw new Error(`bad attribute name ${a[1]}`);
        if (a[1]! in element.attributes) throw new Error(`attribute ${a[1]} twice`);
        element.attributes[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      }
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
    rest = rest.slice(whole!.length);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}
