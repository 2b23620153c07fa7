package checkpoint

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File is an append-only JSON Lines file of checkpoints, one per line, oldest first.
type File struct{ Path string }

// Append writes c as a new line and syncs it to disk before returning, so a checkpoint that
// was reported is one that survives a crash.
func (f File) Append(c Checkpoint) error {
	line, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return err
	}
	fh, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = fh.Write(append(line, '\n'))
	if err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadAll returns the checkpoints in the file (none when it does not exist). A last line
// without its newline is a write cut short by a crash and is skipped; any other line that
// does not parse is an error, as the file has been damaged.
func (f File) ReadAll() ([]Checkpoint, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	complete := b
	if i := bytes.LastIndexByte(b, '\n'); i < len(b)-1 {
		complete = b[:i+1]
	}
	var list []Checkpoint
	sc := bufio.NewScanner(bytes.NewReader(complete))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c Checkpoint
		if err := json.Unmarshal(line, &c); err != nil {
			return nil, fmt.Errorf("checkpoint file %s line %d: %w", f.Path, n, err)
		}
		list = append(list, c)
	}
	return list, sc.Err()
}
