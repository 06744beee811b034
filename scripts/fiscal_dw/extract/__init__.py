"""Documents -> raw CSVs: ``folder`` reads a documents folder (on all cores) into one CSV per
raw table plus rejects and messages; ``final_accounts`` and ``performance`` hold the readers
of what a document contains; ``documents``, ``text``, ``rows`` and ``schemas`` are shared."""
from fiscal_dw.extract.folder import (
    MESSAGES_FILE,
    ExtractResult,
    InputMessage,
    StreamedExtract,
    extract_document,
    extract_folder,
    extract_folder_to,
    read_messages,
    write_raw_tables,
)

__all__ = ["MESSAGES_FILE", "ExtractResult", "InputMessage", "StreamedExtract", "extract_document",
           "extract_folder", "extract_folder_to", "read_messages", "write_raw_tables"]
