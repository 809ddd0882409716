// Package probe visits sites like a careful inspector: it fetches pages
// over HTTP, renders them in headless Chromium, follows columns, checks
// links, and returns a Capture of what it saw. It knows nothing of SQLite;
// interpretation happens in package analysis over stored captures.
package probe
