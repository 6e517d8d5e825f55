// USPTO documents declare `<!DOCTYPE us-patent-grant SYSTEM "...dtd">` and the DTD pulls in
// the ISO 8879 entity sets. We never fetch the DTD (offline, and a network fetch per document
// would be absurd), so the named entities a document may use are declared here instead. The
// grant files of 2005–2012 use numeric references only, but older and hand-made files use the
// ISO names, which HTML 4 adopted almost unchanged; that set plus a few ISO-only names covers them.

// Latin-1 supplement names for U+00A0..U+00FF, in code-point order.
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn " +
  "sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave " +
  "Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml " +
  "ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN " +
  "szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute " +
  "icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml " +
  "yacute thorn yuml";

// Greek letters: capitals from U+0391, small from U+03B1 (U+03A2 is unassigned, U+03C2 is
// final sigma).
const GREEK =
  "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho - " +
  "Sigma Tau Upsilon Phi Chi Psi Omega";
const GREEK_SMALL =
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho " +
  "sigmaf sigma tau upsilon phi chi psi omega";

// The rest of HTML 4 (symbols and specials) and the ISO-only names seen in patent data.
const OTHERS: ReadonlyArray<readonly [string, number]> = [
  ["quot", 34], ["amp", 38], ["apos", 39], ["lt", 60], ["gt", 62],
  ["OElig", 338], ["oelig", 339], ["Scaron", 352], ["scaron", 353], ["Yuml", 376],
  ["fnof", 402], ["circ", 710], ["tilde", 732], ["thetasym", 977], ["upsih", 978], ["piv", 982],
  ["ensp", 8194], ["emsp", 8195], ["numsp", 8199], ["puncsp", 8200], ["thinsp", 8201],
  ["hairsp", 8202], ["zwnj", 8204], ["zwj", 8205], ["lrm", 8206], ["rlm", 8207],
  ["hyphen", 8208], ["ndash", 8211], ["mdash", 8212], ["lsquo", 8216], ["rsquo", 8217],
  ["sbquo", 8218], ["ldquo", 8220], ["rdquo", 8221], ["bdquo", 8222], ["dagger", 8224],
  ["Dagger", 8225], ["bull", 8226], ["hellip", 8230], ["permil", 8240], ["prime", 8242],
  ["Prime", 8243], ["lsaquo", 8249], ["rsaquo", 8250], ["oline", 8254], ["frasl", 8260],
  ["euro", 8364], ["image", 8465], ["weierp", 8472], ["real", 8476], ["trade", 8482],
  ["ohm", 8486], ["angst", 8491], ["alefsym", 8501], ["frac13", 8531], ["frac23", 8532],
  ["larr", 8592], ["uarr", 8593], ["rarr", 8594], ["darr", 8595], ["harr", 8596],
  ["crarr", 8629], ["lArr", 8656], ["uArr", 8657], ["rArr", 8658], ["dArr", 8659],
  ["hArr", 8660], ["forall", 8704], ["part", 8706], ["exist", 8707], ["empty", 8709],
  ["nabla", 8711], ["isin", 8712], ["notin", 8713], ["ni", 8715], ["prod", 8719],
  ["sum", 8721], ["minus", 8722], ["lowast", 8727], ["radic", 8730], ["prop", 8733],
  ["infin", 8734], ["ang", 8736], ["and", 8743], ["or", 8744], ["cap", 8745], ["cup", 8746],
  ["int", 8747], ["there4", 8756], ["sim", 8764], ["cong", 8773], ["asymp", 8776],
  ["ap", 8776], ["ne", 8800], ["equiv", 8801], ["le", 8804], ["ge", 8805], ["sub", 8834],
  ["sup", 8835], ["nsub", 8836], ["sube", 8838], ["supe", 8839], ["oplus", 8853],
  ["otimes", 8855], ["perp", 8869], ["sdot", 8901], ["lceil", 8968], ["rceil", 8969],
  ["lfloor", 8970], ["rfloor", 8971], ["lang", 9001], ["rang", 9002], ["loz", 9674],
  ["spades", 9824], ["clubs", 9827], ["hearts", 9829], ["diams", 9830], ["half", 189],
];

function buildTable(): Readonly<Record<string, string>> {
  // A null prototype, so a document naming `&constructor;` or `&__proto__;` finds nothing.
  const table: Record<string, string> = Object.create(null) as Record<string, string>;
  LATIN1.split(" ").forEach((name, i) => {
    table[name] = String.fromCodePoint(0xa0 + i);
  });
  GREEK.split(" ").forEach((name, i) => {
    if (name !== "-") table[name] = String.fromCodePoint(0x391 + i);
  });
  GREEK_SMALL.split(" ").forEach((name, i) => {
    table[name] = String.fromCodePoint(0x3b1 + i);
  });
  for (const [name, code] of OTHERS) table[name] = String.fromCodePoint(code);
  return Object.freeze(table);
}

/**
 * Maps the named entities a USPTO document may use to their text: the five XML ones, the
 * HTML 4 set (which is the ISO 8879 set the USPTO DTDs include) and a few ISO-only names.
 */
export const NAMED_ENTITIES: Readonly<Record<string, string>> = buildTable();
