/**
 * The plugin's XML form (docs/jenkins-wire-format.md §4) → the same JSON-shaped document the JSON form gives,
 * so one schema, one classifier and one store serve both. Parsing is saxes' (a strict XML 1.0
 * parser); this module only builds the element tree and maps XStream's layout: camelCase elements,
 * lists as <string> children, maps as <entry><string>key</string>value</entry>.
 */
import { SaxesParser } from "saxes";

interface Element {
  name: string;
  children: Element[];
  text: string;
}

/** Nesting deeper than any plugin document: refuse rather than build an unbounded tree. */
const MAX_DEPTH = 32;

/**
 * XStream writes control characters as references (`&#x1b;` for ANSI colours) that XML 1.0
 * forbids, so a strict parser rejects real consoles. They are moved to private-use code points
 * (U+E000 + code) for parsing and moved back in every text value afterwards.
 */
const ILLEGAL_REFERENCE = /&#(x[0-9a-fA-F]+|[0-9]+);/g;
const PARKED = /[\uE000-\uE01F]/g;

function park(xml: string): string {
  return xml.replace(ILLEGAL_REFERENCE, (reference, code: string) => {
    const value = code.startsWith("x") ? Number.parseInt(code.slice(1), 16) : Number(code);
    const legal = value === 0x9 || value === 0xa || value === 0xd || value >= 0x20;
    return legal ? reference : `&#x${(0xe000 + value).toString(16)};`;
  });
}

function unpark(text: string): string {
  return text.replace(PARKED, (char) => String.fromCharCode(char.charCodeAt(0) - 0xe000));
}

/** Parses an XML document into its root element; throws on anything that is not well-formed. */
function parseXmlTree(xml: string): Element {
  const parser = new SaxesParser({ position: false });
  const stack: Element[] = [];
  let root: Element | undefined;
  parser.on("opentag", (tag) => {
    if (stack.length >= MAX_DEPTH) throw new Error("XML nested too deeply");
    const element: Element = { name: tag.name, children: [], text: "" };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on("text", (text) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.on("error", (error) => {
    throw error;
  });
  parser.write(park(xml)).close();
  if (!root) throw new Error("no root element");
  return root;
}

type Shape = "text" | "int" | "list" | "map" | "mapOfMaps" | { [element: string]: Shape };

const SCM: Shape = { url: "text", branch: "text", commit: "text", changes: "list", culprits: "list" };
const TEST_SUMMARY: Shape = {
  total: "int",
  failed: "int",
  passed: "int",
  skipped: "int",
  failedTests: "list",
};
const BUILD: Shape = {
  fullUrl: "text",
  number: "int",
  queueId: "int",
  timestamp: "int",
  duration: "int",
  phase: "text",
  status: "text",
  url: "text",
  displayName: "text",
  scm: SCM,
  parameters: "map",
  log: "text",
  notes: "text",
  testSummary: TEST_SUMMARY,
  artifacts: "mapOfMaps",
};
const JOB: Shape = { name: "text", displayName: "text", url: "text", build: BUILD };

/**
 * The XML document as the JSON form would have it. Unknown elements are ignored; numbers that are
 * not integers stay strings, for the schema to reject with their path.
 */
export function xmlToDocument(xml: string): Record<string, unknown> {
  const root = parseXmlTree(xml);
  if (root.name !== "job") throw new Error("the root element is not <job>");
  return convert(root, JOB) as Record<string, unknown>;
}

function convert(element: Element, shape: Shape): unknown {
  if (shape === "text") return unpark(element.text);
  if (shape === "int")
    return /^-?\d{1,16}$/.test(element.text.trim()) ? Number(element.text.trim()) : element.text;
  if (shape === "list") return element.children.map((child) => unpark(child.text));
  if (shape === "map" || shape === "mapOfMaps") {
    const map: Record<string, unknown> = {};
    for (const entry of element.children) {
      const [key, value] = entry.children;
      if (!key || !value) continue;
      map[unpark(key.text)] = shape === "map" ? unpark(value.text) : convert(value, "map");
    }
    return map;
  }
  const object: Record<string, unknown> = {};
  for (const child of element.children) {
    const childShape = shape[child.name];
    if (childShape) object[snakeCase(child.name)] = convert(child, childShape);
  }
  return object;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
