"""Extract a PDF's text in a child process with a memory and CPU ceiling.

Run as a script (`python letters/pdftext.py MAX_PAGES MAX_CHARS`) with the PDF on stdin:
the text on stdout and exit 0, or a reason on stderr and exit 2. letters.documents
starts it with a wall-clock timeout, so a decompression bomb or a page with millions
of operators costs the site one child process, never a worker. Imports pypdf only.
"""

import resource
import sys

MEMORY_BYTES = 768 * 1024 * 1024
CPU_SECONDS = 20


def main():
    max_pages, max_chars = int(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    from io import BytesIO

    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(sys.stdin.buffer.read()))
        if len(reader.pages) > max_pages:
            sys.stderr.write(f"it has {len(reader.pages)} pages; at most {max_pages} can be read")
            return 2
        texts, length = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            texts.append(text)
            length += len(text)
            if length > max_chars:
                sys.stderr.write(f"it holds more than {max_chars:,} characters of text")
                return 2
    except MemoryError:
        sys.stderr.write("it needs too much memory to read")
        return 2
    except Exception as error:  # pypdf's limit errors (LimitReachedError), malformed files, …
        sys.stderr.write(f"{error.__class__.__name__}: {error}"[:300])
        return 2
    sys.stdout.write("\n".join(texts).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
