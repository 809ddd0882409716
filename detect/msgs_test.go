package detect

import (
	"strings"
	"testing"

	"inspector/msgs"
)

// TestMessageTables checks the message keys the detectors pick from
// tables rather than name at the call.
func TestMessageTables(t *testing.T) {
	var keys []string
	for _, k := range hiddenKey {
		keys = append(keys, k)
	}
	for _, sf := range spamFiles {
		k, ok := catKey[sf.cat]
		if !ok {
			t.Errorf("spam category %q has no message key", sf.cat)
		}
		keys = append(keys, k)
	}
	for i, o := range obfuscations {
		if o.key != "" {
			keys = append(keys, o.key)
		}
		if name := techniqueName(i); name == "" || strings.Contains(name, "⟨") {
			t.Errorf("obfuscation %d is named %q", i, name)
		}
	}
	for _, k := range keys {
		if !msgs.Has(k) {
			t.Errorf("message key %q is not in the catalogue", k)
		}
	}
	if got := hiddenDesc("opacity"); got != "透明度为0" {
		t.Errorf("hiddenDesc(opacity) = %q", got)
	}
	if got := techniqueName(0); got != "String.fromCharCode" {
		t.Errorf("first technique = %q", got)
	}
}
