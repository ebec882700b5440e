package pipeline

import (
	"context"
	"io"
	"path/filepath"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/export"
	"github.com/lcity/lcity/workspace"
)

// Export formats.
const (
	FormatQDPX = "qdpx" // REFI-QDA project for NVivo, ATLAS.ti, MAXQDA
	FormatQDC  = "qdc"  // the codebooks alone, as a REFI-QDA codebook
	FormatCSV  = "csv"  // one row per coded segment, for R and pandas
)

// Export writes workspace out in format to file, holding the workspace's
// Shared lock, and returns what it exported. The codings exported are the
// reviewed coding (review.sqlite applied to codings.csv). A workspace whose documents,
// passages, texts or codings differ from their record in run.json is not
// exported (the error wraps workspace.ErrModified).
func Export(out, format, file string) (*export.Workspace, error) {
	var write func(io.Writer, *export.Workspace) error
	switch format {
	case FormatQDPX:
		write = export.WriteQDPX
	case FormatQDC:
		write = func(w io.Writer, ws *export.Workspace) error { return export.WriteQDC(w, ws.Codebooks, ws.Origin) }
	case FormatCSV:
		write = export.WriteCSV
	default:
		return nil, Usagef("export %q: want %s, %s or %s", format, FormatQDPX, FormatQDC, FormatCSV)
	}
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if len(m.Codebooks) == 0 {
		return nil, Usagef("%s has no codings (run lcity code or lcity run first)", out)
	}
	if err := checkStages(out, m, workspace.StageIngest, workspace.StageCode); err != nil {
		return nil, err
	}
	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if err != nil {
		return nil, notWorkspace(out, err)
	}
	cbs, err := workspace.RecordedCodebooks(out, m, nil)
	if err != nil {
		return nil, err
	}
	name := m.Settings.Corpus
	if name == "" {
		name = out
	}
	rv, err := newReviewer(context.Background(), &Config{Out: out}, cbs)
	if err != nil {
		return nil, err
	}
	ws := &export.Workspace{Dir: out, Name: name, Origin: "lcity " + Version, Documents: docs, Codebooks: cbs, Review: rv.apply}
	if format == FormatQDC {
		ws.Documents = nil
	}
	if format == FormatQDPX {
		if ws.Coders, err = exportCoders(context.Background(), out, m); err != nil {
			return nil, err
		}
	}
	if _, err := workspace.WriteFile(file, func(w io.Writer) error { return write(w, ws) }); err != nil {
		return nil, err
	}
	return ws, nil
}

// checkStages fails with workspace.ErrModified (a user's error) when an
// output of the stages differs from its record.
func checkStages(out string, m *workspace.Manifest, stages ...string) error {
	sub := &workspace.Manifest{}
	for _, st := range stages {
		sub.Outputs = append(sub.Outputs, m.StageOutputs(st)...)
	}
	bad, err := sub.Check(out)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return Usagef("%s: %w: %s; run lcity again (run --force, or the stage that writes it), or restore it", out, workspace.ErrModified, bad[0])
	}
	return nil
}
