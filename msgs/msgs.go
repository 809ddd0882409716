// Package msgs words machine findings: the details and evidence phrases
// the detectors and the analysis write. The wording is data, in
// assets/i18n/findings.zh.json (one flat JSON object, key → fmt format),
// read once through assets.ReadFile so that an office may override it;
// keys the override lacks fall back to the embedded catalogue. A key
// missing from both shows as ⟨key⟩ followed by its arguments, never as an
// empty or silently wrong phrase.
//
// The package imports only assets, so both detect and analysis may use it.
package msgs

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"inspector/assets"
)

// File is the catalogue's path under assets.
const File = "i18n/findings.zh.json"

var (
	once    sync.Once
	cat     map[string]string
	loadErr error
)

func load() {
	cat = map[string]string{}
	b, err := fs.ReadFile(assets.FS, File)
	if err == nil {
		err = json.Unmarshal(b, &cat)
	}
	if err != nil {
		loadErr = fmt.Errorf("messages assets/%s: %w", File, err)
		return
	}
	b, src, err := assets.ReadFile(File)
	if err != nil || src == "assets/"+File {
		if err != nil {
			loadErr = fmt.Errorf("messages %s: %w", src, err)
		}
		return
	}
	own := map[string]string{}
	if err := json.Unmarshal(b, &own); err != nil {
		loadErr = fmt.Errorf("messages %s: %w", src, err)
		return
	}
	for k, v := range own {
		cat[k] = v
	}
}

// reset forgets the loaded catalogue (tests change assets.OverrideDir).
func reset() {
	once = sync.Once{}
	cat, loadErr = nil, nil
}

func catalogue() map[string]string {
	once.Do(load)
	return cat
}

// Err reports a catalogue that could not be read or parsed (the embedded
// one, or an office's override, which is then ignored).
func Err() error {
	catalogue()
	return loadErr
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := catalogue()[key]
	return ok
}

// Keys lists the catalogue's keys, for tests.
func Keys() []string {
	var out []string
	for k := range catalogue() {
		out = append(out, k)
	}
	return out
}

// F formats the message key with args. A missing key yields "⟨key⟩"
// followed by the arguments, so that the gap shows.
func F(key string, args ...any) string {
	format, ok := catalogue()[key]
	if !ok {
		if len(args) == 0 {
			return "⟨" + key + "⟩"
		}
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = fmt.Sprint(a)
		}
		return "⟨" + key + "⟩ " + strings.Join(parts, " ")
	}
	return fmt.Sprintf(format, args...)
}

// List joins items with the catalogue's list separator (key list.sep).
func List(items []string) string {
	sep, ok := catalogue()["list.sep"]
	if !ok {
		sep = "⟨list.sep⟩"
	}
	return strings.Join(items, sep)
}
