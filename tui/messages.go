package tui

// Messages of the interface (slow work reports through these).
type (
	// probeProgressMsg is one progress report of a background probe.
	probeProgressMsg struct{ p Progress }
	// probeDoneMsg says a background probe of targets ended.
	probeDoneMsg struct {
		targets []string
		err     error
	}
	// roundLoadedMsg carries a re-read of the whole round.
	roundLoadedMsg struct {
		data *roundData
		err  error
	}
	// openedMsg reports a screenshot handed to the system viewer.
	openedMsg struct {
		path string
		err  error
	}
)
