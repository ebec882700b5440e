// Package qdpx reads REFI-QDA projects (.qdpx), as NVivo, ATLAS.ti,
// MAXQDA, QualCoder and lcity's own export write them, so that people's
// coding of text made in those tools can be brought into lcity:
//
//	f, _ := os.Open("study.qdpx")
//	fi, _ := f.Stat()
//	p, err := qdpx.Read(f, fi.Size(), qdpx.DefaultLimits)
//	if err != nil {
//		return err // wraps qdpx.ErrFormat: not a zip, no project.qde, bad XML, a zip bomb
//	}
//	for _, s := range p.Sources {
//		a := qdpx.Align(s.Text, docText, qdpx.Exact) // nil when the texts differ
//		for _, sel := range s.Selections {
//			from, to, ok := a.Bytes(sel.Start, sel.End) // code points → docText's bytes
//			...
//		}
//	}
//
// What it reads: the users, the code tree, the notes, and each source's
// plain text with its PlainTextSelections and their Codings (and codings
// of whole sources). A PDFSource counts through its text representation;
// pictures, audio, video and PDF page areas are counted but not read.
// Source texts come from the archive's sources/ folder, whatever its case
// (the standard writes sources/, some tools Sources/), or from
// PlainTextContent; a plainTextPath outside the archive (relative://,
// absolute://) is not followed.
//
// Positions are 0-based Unicode code points of the plain text, the end
// exclusive, as the standard says; the text's byte-order mark is not part
// of it. Problems of one source or selection (a missing text file,
// positions that are not integers or are reversed) are kept on it for the
// caller to report, so that one bad selection does not hide the rest.
//
// Read trusts nothing in the archive: every entry is decompressed through
// a limit (Limits), whatever size its header declares, and the XML is
// parsed by encoding/xml, which does not expand external entities.
package qdpx
