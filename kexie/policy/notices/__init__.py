"""Notice handling: text extraction from .txt/.docx/.pdf (`extract`), the parser (`parser`), the
draft import workflow shared by pages and commands (`importing`) and the notice forms (`forms`).
The writes themselves are in `kexie.policy.services.notices`."""
