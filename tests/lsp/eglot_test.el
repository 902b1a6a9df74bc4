;;; eglot_test.el --- drive Emacs's eglot against `gtc lsp'  -*- lexical-binding: t -*-
;; Opens $GTC_EDITOR_FILE (a go.mod), waits for the server's diagnostics,
;; hovers the go line, applies the code action whose title contains
;; $GTC_EDITOR_ACTION, saves. Writes what it saw as JSON to $GTC_EDITOR_OUT
;; and exits 0, or exits 1 with the error in that file.
;; Run: emacs --batch -Q -l eglot_test.el
(require 'eglot)
(require 'json)

;; Emacs 28 has no go.mod mode: a minimal one for eglot to manage.
(define-derived-mode go-mod-mode prog-mode "go.mod")
(add-to-list 'auto-mode-alist '("/go\\.mod\\'" . go-mod-mode))

(defvar gtc-out (getenv "GTC_EDITOR_OUT"))
(defvar gtc-wait (/ (string-to-number (or (getenv "GTC_EDITOR_WAIT_MS") "120000")) 1000.0))

(defun gtc-finish (result code)
  (with-temp-file gtc-out (insert (json-encode result)))
  (kill-emacs code))

(defun gtc-wait-for (what pred)
  "Process events until PRED is true; fail after `gtc-wait' seconds."
  (let ((deadline (+ (float-time) gtc-wait)) v)
    (while (not (setq v (funcall pred)))
      (when (> (float-time) deadline) (error "Nothing after %s s waiting for %s" gtc-wait what))
      (accept-process-output nil 0.02))
    v))

(defun gtc-diagnostics ()
  (mapcar (lambda (d)
            (list (cons 'line (1- (line-number-at-pos (flymake-diagnostic-beg d))))
                  ;; eglot shows the diagnostic's source first: "gtc: go: …".
                  (cons 'message (string-remove-prefix "gtc: " (flymake-diagnostic-text d)))))
          eglot--diagnostics))

(condition-case err
    (let* ((cmd (append (json-read-from-string (getenv "GTC_LSP_CMD")) nil))
           (eglot-server-programs (list (cons 'go-mod-mode cmd)))
           (eglot-sync-connect t))
      (find-file (getenv "GTC_EDITOR_FILE"))
      (call-interactively #'eglot)
      (let* ((server (gtc-wait-for "the server" #'eglot-current-server))
             (diags (gtc-wait-for "diagnostics" #'gtc-diagnostics))
             (go-line (save-excursion
                        (goto-char (point-min))
                        (re-search-forward "^go ")
                        (1- (line-number-at-pos))))
             (pos (list :line go-line :character 1))
             (doc (eglot--TextDocumentIdentifier))
             (hover (jsonrpc-request server :textDocument/hover
                                     (list :textDocument doc :position pos)))
             (actions (jsonrpc-request server :textDocument/codeAction
                                       (list :textDocument doc
                                             :range (list :start pos :end pos)
                                             :context (list :diagnostics []))))
             (want (getenv "GTC_EDITOR_ACTION"))
             (chosen (seq-find (lambda (a)
                                 (and (string-search want (plist-get a :title))
                                      (plist-get a :edit)))
                               actions)))
        (unless chosen
          (error "No action %s in %S" want (mapcar (lambda (a) (plist-get a :title)) actions)))
        (eglot--apply-workspace-edit (plist-get chosen :edit))
        (save-buffer)
        ;; After the save the pushed answer clears the diagnostic.
        (let ((cleared (condition-case nil
                           (gtc-wait-for "cleared diagnostics" (lambda () (null eglot--diagnostics)))
                         (error nil))))
          (eglot-shutdown server)
          (gtc-finish (list (cons 'diagnostics (vconcat diags))
                            (cons 'hover (plist-get (plist-get hover :contents) :value))
                            (cons 'chosen (plist-get chosen :title))
                            (cons 'cleared (if cleared t :json-false)))
                      0))))
  (error (gtc-finish (list (cons 'error (error-message-string err))) 1)))
