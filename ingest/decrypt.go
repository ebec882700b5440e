package ingest

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/secure/precis"
	"golang.org/x/text/unicode/norm"

	"github.com/lcity/lcity/corpus"
)

// This file opens encrypted PDFs (PDF 32000-1, 7.6; ISO 32000-2 for
// AES-256). The PDF library decrypts RC4 and AES-128 itself, but cannot
// open AES-256 (V5, R5/R6) files, derives the key of each object wrongly
// for RC4 keys shorter than 128 bits (it keys RC4 with the whole MD5
// digest instead of its first n+5 bytes, so 40-bit files decrypt to
// garbage and come out empty), accepts only the user password, leaves the
// padding on the strings of AES-128 (V4, AESV2) files
// (TestEncryptedStrings), and decrypts streams as it reads them, so that
// prepare never sees their plain bytes (nor unpacks the object streams,
// which the library would decrypt and parse again for every object it
// reads from one). So for every encrypted file (prepare's p.encrypted)
// openPDF has decryptPDF write an unencrypted copy of the file in memory,
// prepares it and hands that to the library: every "N G obj" is parsed
// (objects.go), its strings and stream data decrypted, object streams
// unpacked, and a new cross-reference table written.

// Errors of a file that cannot be decrypted; both wrap corpus.ErrEncrypted.
var (
	errPasswordRequired = fmt.Errorf("%w: password required", corpus.ErrEncrypted)
	errWrongPassword    = fmt.Errorf("%w: wrong password", corpus.ErrEncrypted)
)

// cryptMethod is how strings or streams are encrypted.
type cryptMethod uint8

const (
	cryptNone cryptMethod = iota
	cryptRC4
	cryptAESV2 // AES-128, key per object
	cryptAESV3 // AES-256, the file key
)

// security is the standard security handler of a file, once the password
// has been checked: its file key and methods.
type security struct {
	key             []byte
	keyLen          int // bytes of the file key (R2–R4)
	str, stm        cryptMethod
	encryptMetadata bool
}

// stdParams are the entries of a standard encryption dictionary.
type stdParams struct {
	v, r, keyLen    int
	o, u, oe, ue    []byte
	p               uint32
	id0             []byte
	str, stm        cryptMethod
	encryptMetadata bool
}

// parseEncrypt reads an encryption dictionary of the standard security
// handler. id0 is the first element of the trailer's /ID.
func parseEncrypt(enc pval, id0 []byte) (*stdParams, error) {
	if f := enc.key("Filter").s; f != "Standard" {
		return nil, fmt.Errorf("%w: security handler %q not supported", corpus.ErrEncrypted, f)
	}
	sp := &stdParams{
		v: enc.key("V").int(), r: enc.key("R").int(),
		o: []byte(enc.key("O").s), u: []byte(enc.key("U").s),
		oe: []byte(enc.key("OE").s), ue: []byte(enc.key("UE").s),
		p: uint32(int32(enc.key("P").int())), id0: id0, encryptMetadata: true,
	}
	if em := enc.key("EncryptMetadata"); em.kind == pKeyword && em.s == "false" {
		sp.encryptMetadata = false
	}
	bits := enc.key("Length").int()
	if bits == 0 {
		bits = 40
	}
	switch sp.v {
	case 1, 2:
		if sp.v == 1 {
			bits = 40
		}
		sp.str, sp.stm = cryptRC4, cryptRC4
	case 4, 5:
		sp.stm = cryptFilter(enc, enc.key("StmF").s, &bits)
		sp.str = cryptFilter(enc, enc.key("StrF").s, &bits)
	default:
		return nil, fmt.Errorf("%w: encryption version V=%d not supported", corpus.ErrEncrypted, sp.v)
	}
	if bits%8 != 0 || bits < 40 || bits > 256 {
		return nil, fmt.Errorf("%w: %d-bit key", corpus.ErrEncrypted, bits)
	}
	sp.keyLen = bits / 8
	switch {
	case sp.r >= 2 && sp.r <= 4:
		if len(sp.o) < 32 || len(sp.u) < 32 || sp.keyLen > 16 {
			return nil, fmt.Errorf("%w: malformed encryption dictionary (R=%d)", corpus.ErrEncrypted, sp.r)
		}
	case sp.r == 5 || sp.r == 6:
		if len(sp.o) < 48 || len(sp.u) < 48 || len(sp.oe) < 32 || len(sp.ue) < 32 {
			return nil, fmt.Errorf("%w: malformed encryption dictionary (R=%d)", corpus.ErrEncrypted, sp.r)
		}
	default:
		return nil, fmt.Errorf("%w: encryption revision R=%d not supported", corpus.ErrEncrypted, sp.r)
	}
	return sp, nil
}

// cryptFilter is the method of a V4/V5 crypt filter by name; a crypt
// filter's /Length (bytes, or bits when over 32) sets the key length.
func cryptFilter(enc pval, name string, bits *int) cryptMethod {
	if name == "" || name == "Identity" {
		return cryptNone
	}
	cf := enc.key("CF").key(name)
	if l := cf.key("Length").int(); l > 0 {
		if l <= 32 {
			l *= 8
		}
		*bits = l
	}
	switch cf.key("CFM").s {
	case "V2":
		return cryptRC4
	case "AESV2":
		*bits = 128
		return cryptAESV2
	case "AESV3":
		*bits = 256
		return cryptAESV3
	}
	return cryptNone
}

// padding is the 32-byte string passwords are padded with (Algorithm 2).
var padding = []byte{
	0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08,
	0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
}

func padPassword(pw []byte) []byte {
	out := make([]byte, 0, 32)
	out = append(out, pw[:min(len(pw), 32)]...)
	return append(out, padding[:32-len(out)]...)
}

// latin1 encodes a password for R2–R4, which take bytes in
// PDFDocEncoding: characters up to U+00FF as one byte, others as UTF-8.
func latin1(pw string) []byte {
	out := make([]byte, 0, len(pw))
	for _, r := range pw {
		if r < 0x100 {
			out = append(out, byte(r))
		} else {
			out = append(out, string(r)...)
		}
	}
	return out
}

func rc4Crypt(key, data []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return nil
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// authenticate checks password as the user password, then as the owner
// password, and returns the handler with the file key.
func (sp *stdParams) authenticate(password string) (*security, bool) {
	var key []byte
	if sp.r >= 5 {
		for _, pw := range aes256Passwords(password) {
			if key = sp.aes256Key(pw); key != nil {
				break
			}
		}
	} else {
		key = sp.rc4Key(latin1(password))
	}
	if key == nil {
		return nil, false
	}
	return &security{key: key, keyLen: sp.keyLen, str: sp.str, stm: sp.stm, encryptMetadata: sp.encryptMetadata}, true
}

// aes256Passwords are the forms of a password tried on an AES-256 (R5,
// R6) file, each as UTF-8 cut to 127 bytes, in this order and without
// repeats: the password as given; prepared with SASLprep (RFC 4013), which
// ISO 32000-2 (7.6.4.3.3) asks writers to apply; and prepared with the
// OpaqueString profile of PRECIS (RFC 8265), which replaced SASLprep. A
// writer that prepares (Acrobat does) derives the key from the prepared
// form, one that does not (qpdf) from the bytes typed, and a reader
// cannot tell which from the file; so it tries each, at the cost of two
// more hashes (Algorithm 2.B) when a password is wrong or typed in
// another form. The two profiles differ where it matters to a person
// typing: SASLprep folds compatibility forms (NFKC: full-width letters,
// ligatures) and drops soft hyphens and zero-width characters, while
// OpaqueString only composes (NFC) and maps non-ASCII spaces.
func aes256Passwords(password string) [][]byte {
	cut := func(s string) []byte {
		b := []byte(s)
		return b[:min(len(b), 127)]
	}
	out := [][]byte{cut(password)}
	add := func(s string) {
		b := cut(s)
		for _, o := range out {
			if bytes.Equal(o, b) {
				return
			}
		}
		out = append(out, b)
	}
	add(saslprep(password))
	if p, err := precis.OpaqueString.String(password); err == nil {
		add(p)
	}
	return out
}

// saslprep maps and normalises a password as SASLprep (RFC 4013, 2.1–2.2)
// does: characters commonly mapped to nothing (RFC 3454, table B.1) are
// removed, non-ASCII spaces (C.1.2) become U+0020, and the result is in
// NFKC. Its prohibition and bidirectional checks are left out: they only
// refuse passwords, and a password a writer refused cannot have made the
// key, so trying it costs one hash and opens nothing it should not.
// (No maintained Go package implements SASLprep alone; x/text has PRECIS,
// its successor, used in aes256Passwords too.)
func saslprep(pw string) string {
	var b strings.Builder
	for _, r := range pw {
		switch {
		case r == 0x00AD, r == 0x034F, r == 0x1806, r >= 0x180B && r <= 0x180D,
			r >= 0x200B && r <= 0x200D, r == 0x2060, r >= 0xFE00 && r <= 0xFE0F, r == 0xFEFF:
			// B.1 (U+200B is in C.1.2 too; removing it, as B.1 says, is
			// what other implementations do)
		case r == 0x00A0, r == 0x1680, r >= 0x2000 && r <= 0x200A, r == 0x202F, r == 0x205F, r == 0x3000:
			b.WriteByte(' ') // C.1.2
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFKC.String(b.String())
}

// rc4Key returns the file key for R2–R4 (Algorithms 2, 6 and 7), or nil
// when pw is neither the user nor the owner password.
func (sp *stdParams) rc4Key(pw []byte) []byte {
	if k := sp.userKey(pw); k != nil {
		return k
	}
	// Algorithm 7: the owner password decrypts O into the user password.
	h := md5.Sum(padPassword(pw))
	rk := h[:]
	if sp.r >= 3 {
		for i := 0; i < 50; i++ {
			s := md5.Sum(rk)
			rk = s[:]
		}
	}
	rk = rk[:sp.keyLen]
	user := append([]byte(nil), sp.o[:32]...)
	if sp.r == 2 {
		user = rc4Crypt(rk, user)
	} else {
		for i := 19; i >= 0; i-- {
			user = rc4Crypt(xorKey(rk, byte(i)), user)
		}
	}
	return sp.userKey(user)
}

func xorKey(k []byte, x byte) []byte {
	out := make([]byte, len(k))
	for i := range k {
		out[i] = k[i] ^ x
	}
	return out
}

// userKey computes the file key from a user password (Algorithm 2) and
// checks it against U (Algorithms 4–6); nil when it does not match.
func (sp *stdParams) userKey(pw []byte) []byte {
	h := md5.New()
	h.Write(padPassword(pw))
	h.Write(sp.o[:32])
	var p [4]byte
	binary.LittleEndian.PutUint32(p[:], sp.p)
	h.Write(p[:])
	h.Write(sp.id0)
	if sp.r >= 4 && !sp.encryptMetadata {
		h.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	key := h.Sum(nil)
	n := sp.keyLen
	if sp.r == 2 {
		n = 5
	} else {
		for i := 0; i < 50; i++ {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	key = key[:n]
	if sp.r == 2 {
		if bytes.Equal(rc4Crypt(key, padding), sp.u[:32]) {
			return key
		}
		return nil
	}
	s := md5.Sum(append(append([]byte(nil), padding...), sp.id0...))
	x := s[:]
	for i := 0; i <= 19; i++ {
		x = rc4Crypt(xorKey(key, byte(i)), x)
	}
	if bytes.Equal(x[:16], sp.u[:16]) {
		return key
	}
	return nil
}

// aes256Key returns the file key for R5/R6 (ISO 32000-2, Algorithms 2.A
// and 2.B), trying pw as the user and then the owner password; nil when it
// is neither.
func (sp *stdParams) aes256Key(pw []byte) []byte {
	u := sp.u[:48]
	if bytes.Equal(sp.hash(pw, u[32:40], nil), u[:32]) {
		return aesNoPad(sp.hash(pw, u[40:48], nil), sp.ue[:32])
	}
	o := sp.o[:48]
	if bytes.Equal(sp.hash(pw, o[32:40], u), o[:32]) {
		return aesNoPad(sp.hash(pw, o[40:48], u), sp.oe[:32])
	}
	return nil
}

// aesNoPad decrypts data with AES-256 in CBC mode with a zero IV and no
// padding (how UE and OE hold the file key).
func aesNoPad(key, data []byte) []byte {
	b, err := aes.NewCipher(key)
	if err != nil || len(data)%aes.BlockSize != 0 {
		return nil
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(b, make([]byte, aes.BlockSize)).CryptBlocks(out, data)
	return out
}

// hash is the password hash of R5 (SHA-256 of password, salt and user
// data) and R6 (Algorithm 2.B).
func (sp *stdParams) hash(pw, salt, udata []byte) []byte {
	first := sha256.New()
	first.Write(pw)
	first.Write(salt)
	first.Write(udata)
	k := first.Sum(nil)
	if sp.r == 5 {
		return k
	}
	hashes := [3]func() hash.Hash{sha256.New, sha512.New384, sha512.New}
	var e []byte
	for round := 0; round < 64 || int(e[len(e)-1]) > round-32; round++ {
		unit := make([]byte, 0, len(pw)+len(k)+len(udata))
		unit = append(append(append(unit, pw...), k...), udata...)
		k1 := bytes.Repeat(unit, 64)
		b, _ := aes.NewCipher(k[:16])
		e = make([]byte, len(k1))
		cipher.NewCBCEncrypter(b, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, c := range e[:16] {
			sum += int(c)
		}
		h := hashes[sum%3]()
		h.Write(e)
		k = h.Sum(nil)
	}
	return k[:32]
}

// objectKey is the key of object num gen for RC4 or AESV2 (Algorithm 1):
// the first n+5 bytes (at most 16) of the MD5 of the file key, the object
// number and generation, and "sAlT" for AES.
func (s *security) objectKey(num, gen int, m cryptMethod) []byte {
	if m == cryptAESV3 {
		return s.key
	}
	h := md5.New()
	h.Write(s.key)
	h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
	if m == cryptAESV2 {
		h.Write([]byte("sAlT"))
	}
	return h.Sum(nil)[:min(len(s.key)+5, 16)]
}

// decrypt decrypts a string or stream of object num gen.
func (s *security) decrypt(data []byte, num, gen int, m cryptMethod) []byte {
	switch m {
	case cryptRC4:
		return rc4Crypt(s.objectKey(num, gen, m), data)
	case cryptAESV2, cryptAESV3:
		b, err := aes.NewCipher(s.objectKey(num, gen, m))
		if err != nil || len(data) < 2*aes.BlockSize {
			return nil
		}
		data = data[:len(data)-len(data)%aes.BlockSize]
		out := make([]byte, len(data)-aes.BlockSize)
		cipher.NewCBCDecrypter(b, data[:aes.BlockSize]).CryptBlocks(out, data[aes.BlockSize:])
		// PKCS#5 padding: n bytes of value n.
		if n := int(out[len(out)-1]); n >= 1 && n <= aes.BlockSize && bytes.Count(out[len(out)-n:], out[len(out)-n:len(out)-n+1]) == n {
			out = out[:len(out)-n]
		}
		return out
	}
	return data
}

// decryptStrings decrypts every string inside v.
func (s *security) decryptStrings(v *pval, num, gen int) {
	switch v.kind {
	case pString:
		v.s = string(s.decrypt([]byte(v.s), num, gen, s.str))
	case pArray, pDict:
		for i := range v.arr {
			s.decryptStrings(&v.arr[i], num, gen)
		}
	}
}

// maxObjNum bounds the object numbers of a rewritten file (its
// cross-reference table has one 20-byte line per number).
const maxObjNum = 1 << 20

// maxUnpacked bounds the bytes inflated from the object streams of one file.
const maxUnpacked = 64 << 20

// decryptPDF returns an unencrypted copy of an encrypted PDF, opened with
// password or, failing that, the empty password. It fails with
// errPasswordRequired or errWrongPassword when neither opens it, and with
// corpus.ErrEncrypted for encryption it does not support.
func decryptPDF(data []byte, password string) ([]byte, error) {
	objs := scanPlainObjects(data)
	byNum := map[int]int{} // object number → index of its last definition
	for i, o := range objs {
		byNum[o.num] = i
	}
	resolve := func(v pval) pval {
		if v.kind == pRef {
			if i, ok := byNum[v.num]; ok {
				return objs[i].v
			}
			return pval{}
		}
		return v
	}
	trailer := findTrailer(data, objs)
	encRef := trailer.key("Encrypt")
	enc := resolve(encRef)
	if enc.kind != pDict {
		return nil, fmt.Errorf("%w: no encryption dictionary found", corpus.ErrCorrupt)
	}
	var id0 []byte
	if id := resolve(trailer.key("ID")); id.kind == pArray && len(id.arr) > 0 {
		id0 = []byte(id.arr[0].s)
	}
	sp, err := parseEncrypt(enc, id0)
	if err != nil {
		return nil, err
	}
	sec, ok := sp.authenticate(password)
	if !ok && password != "" {
		sec, ok = sp.authenticate("")
	}
	switch {
	case !ok && password == "":
		return nil, errPasswordRequired
	case !ok:
		return nil, errWrongPassword
	}

	out := map[int]pobj{}
	unpacked := 0
	for _, o := range objs {
		if o.num >= maxObjNum || (encRef.kind == pRef && o.num == encRef.num) {
			continue
		}
		typ := o.v.key("Type").s
		if o.isStream && typ == "XRef" {
			continue
		}
		sec.decryptStrings(&o.v, o.num, o.gen)
		if o.isStream && !(typ == "Metadata" && !sec.encryptMetadata) {
			o.stream = sec.decrypt(o.stream, o.num, o.gen, sec.stm)
		}
		if o.isStream && typ == "ObjStm" {
			members, n := unpackObjStm(o, maxUnpacked-unpacked)
			unpacked += n
			for _, m := range members {
				if m.num < maxObjNum {
					out[m.num] = m
				}
			}
			continue
		}
		out[o.num] = o
	}
	return writePDF(out, trailer), nil
}

// findTrailer merges the file's trailer dictionaries ("trailer" keywords
// and cross-reference streams, outside other objects), later ones first.
func findTrailer(data []byte, objs []pobj) pval {
	type at struct {
		off int
		v   pval
	}
	var ts []at
	inside := func(off int) bool {
		k := sort.Search(len(objs), func(i int) bool { return objs[i].end > off })
		return k < len(objs) && objs[k].at <= off
	}
	// The last maxTrailers "trailer" keywords, from the end: incremental
	// updates add one each, and reading each costs up to the rest of the file.
	const maxTrailers = 32
	for end, seen := len(data), 0; seen < maxTrailers; seen++ {
		j := bytes.LastIndex(data[:end], []byte("trailer"))
		if j < 0 {
			break
		}
		end = j
		if i := j + len("trailer"); !inside(i) {
			p := &objParser{b: data, i: i}
			if v, ok := p.value(0); ok && v.kind == pDict {
				ts = append(ts, at{i, v})
			}
		}
	}
	for _, o := range objs {
		if o.isStream && o.v.key("Type").s == "XRef" {
			ts = append(ts, at{o.at, o.v})
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].off > ts[j].off })
	merged := pval{kind: pDict}
	for _, t := range ts {
		for _, k := range []string{"Root", "Info", "ID", "Encrypt"} {
			if merged.key(k).kind == pNull && t.v.key(k).kind != pNull {
				merged.set(k, t.v.key(k))
			}
		}
	}
	return merged
}

// unpackObjStm returns the objects held in an (already decrypted) object
// stream compressed with FlateDecode, inflating at most limit bytes, and
// the number of bytes inflated.
func unpackObjStm(o pobj, limit int) ([]pobj, int) {
	f := o.v.key("Filter")
	if f.kind == pArray && len(f.arr) == 1 {
		f = f.arr[0]
	}
	data := o.stream
	switch {
	case f.kind == pNull:
	case f.s == "FlateDecode" && o.v.key("DecodeParms").kind == pNull:
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, 0
		}
		data, _ = io.ReadAll(io.LimitReader(zr, int64(max(limit, 0))))
	default:
		return nil, 0
	}
	n, first := o.v.key("N").int(), o.v.key("First").int()
	if first < 0 || first > len(data) {
		return nil, len(data)
	}
	p := &objParser{b: data[:first]}
	var members []pobj
	for k := 0; k < n && k < maxObjElems; k++ {
		num, ok1 := p.value(0)
		off, ok2 := p.value(0)
		if !ok1 || !ok2 || num.kind != pNumber || off.kind != pNumber {
			break
		}
		at := first + off.int()
		if at < first || at >= len(data) {
			continue
		}
		v, ok := (&objParser{b: data, i: at}).value(0)
		if !ok {
			continue
		}
		members = append(members, pobj{num: num.int(), v: v})
	}
	return members, len(data)
}

// writePDF writes objects and a trailer as a PDF file with a
// cross-reference table.
func writePDF(objs map[int]pobj, trailer pval) []byte {
	nums := make([]int, 0, len(objs))
	for n := range objs {
		if n > 0 {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	size := 1
	if len(nums) > 0 {
		size = nums[len(nums)-1] + 1
	}
	offsets := make([]int, size)
	for _, n := range nums {
		o := objs[n]
		offsets[n] = b.Len()
		fmt.Fprintf(&b, "%d %d obj\n", n, o.gen)
		if o.isStream {
			o.v.set("Length", numVal(len(o.stream)))
		}
		writeVal(&b, o.v)
		if o.isStream {
			b.WriteString("\nstream\n")
			b.Write(o.stream)
			b.WriteString("\nendstream")
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n", size)
	for n := 0; n < size; n++ {
		if offsets[n] == 0 {
			b.WriteString("0000000000 65535 f\r\n")
			continue
		}
		fmt.Fprintf(&b, "%010d %05d n\r\n", offsets[n], objs[n].gen)
	}
	t := pval{kind: pDict}
	t.set("Size", numVal(size))
	for _, k := range []string{"Root", "Info", "ID"} {
		if v := trailer.key(k); v.kind != pNull {
			t.set(k, v)
		}
	}
	b.WriteString("trailer\n")
	writeVal(&b, t)
	b.WriteString("\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}
