package tui

import (
	"encoding/json"
	"fmt"

	"inspector/assets"
)

// messages is one language's interface strings with the English catalogue
// as the fallback. A key missing from both shows as ⟨key⟩, never as an
// empty label.
type messages struct {
	lang     string
	own      map[string]string
	fallback map[string]string
}

func loadCatalogue(lang string) (map[string]string, error) {
	b, src, err := assets.ReadFile("i18n/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("messages %s: %w", src, err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("messages %s: %w", src, err)
	}
	return m, nil
}

func newMessages(lang string) (*messages, error) {
	if lang == "" {
		lang = "zh"
	}
	own, err := loadCatalogue(lang)
	if err != nil {
		return nil, err
	}
	fb := own
	if lang != "en" {
		if fb, err = loadCatalogue("en"); err != nil {
			return nil, err
		}
	}
	return &messages{lang: lang, own: own, fallback: fb}, nil
}

// T translates key.
func (m *messages) T(key string) string {
	if s := m.own[key]; s != "" {
		return s
	}
	if s := m.fallback[key]; s != "" {
		return s
	}
	return "⟨" + key + "⟩"
}

// Tf translates key and formats it with args.
func (m *messages) Tf(key string, args ...any) string {
	return fmt.Sprintf(m.T(key), args...)
}
