// sikt webb: search with Pagefind's index in ../pagefind/. No inline script, no innerHTML:
// results are built from text nodes, and Pagefind's excerpt keeps only its <mark> elements.
const base = new URL("../", import.meta.url);
const status = document.getElementById("sokstatus");
const list = document.getElementById("sokresultat");
const field = document.getElementById("sokfalt");
const query = (new URLSearchParams(window.location.search).get("q") || "").trim();

function excerpt(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const out = document.createElement("p");
  for (const node of parsed.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent || ""));
    }
  }
  return out;
}

async function search(words) {
  status.textContent = "Söker …";
  const pagefind = await import(new URL("pagefind/pagefind.js", base).href);
  await pagefind.options({ baseUrl: base.pathname });
  const found = await pagefind.search(words);
  const shown = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
  list.replaceChildren();
  for (const hit of shown) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = hit.url;
    link.textContent = (hit.meta && hit.meta.title) || hit.url;
    const heading = document.createElement("h2");
    heading.append(link);
    item.append(heading, excerpt(hit.excerpt || ""));
    list.append(item);
  }
  const n = found.results.length;
  status.textContent = n === 0 ? `Inga träffar för ”${words}”.`
    : `${n} ${n === 1 ? "träff" : "träffar"} för ”${words}”` + (n > shown.length ? `, de ${shown.length} bästa visas.` : ".");
}

if (field) field.value = query;
if (query) {
  search(query).catch(() => {
    status.textContent = "Sökningen kunde inte köras. Sökindexet saknas eller kunde inte läsas.";
  });
}
