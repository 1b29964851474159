package dockerfile

import "testing"

func TestParseMultiStage(t *testing.T) {
	f, err := Parse([]byte(`ARG GO_IMAGE=golang:1.26
FROM ${GO_IMAGE} AS Build
RUN go build -o /out/app .
FROM scratch
COPY --from=build /out/app /app
COPY --from=alpine:3 /etc/ssl /etc/ssl
ARG LAB_LOGIN
LABEL org.lab.login=${LAB_LOGIN}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 2 {
		t.Fatalf("got %d stages, want 2", len(f.Stages))
	}
	if got := f.MetaArgs; len(got) != 1 || got[0] != "GO_IMAGE" {
		t.Errorf("meta args = %v, want [GO_IMAGE]", got)
	}
	final := f.Final()
	if len(final.CopiesFrom) != 1 || final.CopiesFrom[0].From != "build" || final.CopiesFrom[0].Line != 5 {
		t.Errorf("final stage copies = %+v, want one from build on line 5 (an image reference is not a stage)", final.CopiesFrom)
	}
	if len(final.Args) != 1 || final.Args[0] != "LAB_LOGIN" {
		t.Errorf("final stage args = %v, want [LAB_LOGIN]", final.Args)
	}
}

func TestParseStageIndex(t *testing.T) {
	f, err := Parse([]byte("FROM debian\nRUN true\nFROM scratch\nCOPY --from=0 /bin/true /true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Final().CopiesFrom) != 1 {
		t.Errorf("COPY --from=0 was not taken as a stage reference")
	}
}

func TestParseErrors(t *testing.T) {
	for name, src := range map[string]string{
		"empty":      "",
		"no FROM":    "RUN true\n",
		"bad syntax": "FROM\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(src)); err == nil {
				t.Errorf("Parse(%q) gave no error", src)
			}
		})
	}
}
