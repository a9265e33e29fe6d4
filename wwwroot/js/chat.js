// Chat composer helpers: drop and paste images into the Blazor InputFile, Enter to send.
// Files are handed to the <input type=file> and a 'change' event is raised, so InputFile uploads them as if chosen.
window.qwenvlChat = {
  attach(dropZone, fileInput, textArea) {
    const give = (files) => {
      if (!files || files.length === 0 || fileInput.disabled) return false;
      const transfer = new DataTransfer();
      for (const file of files) if (file.type.startsWith('image/')) transfer.items.add(file);
      if (transfer.files.length === 0) return false;
      fileInput.files = transfer.files;
      fileInput.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    };
    dropZone.addEventListener('dragover', (e) => { e.preventDefault(); dropZone.classList.add('dragging'); });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
    dropZone.addEventListener('drop', (e) => {
      e.preventDefault();
      dropZone.classList.remove('dragging');
      give(e.dataTransfer && e.dataTransfer.files);
    });
    textArea.addEventListener('paste', (e) => {
      if (give(e.clipboardData && e.clipboardData.files)) e.preventDefault();
    });
    textArea.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        const send = document.getElementById('chat-send');
        if (send && !send.disabled) send.click();
      }
    });
  },
};

// Stick to the bottom of the message list while an answer streams, unless the reader scrolled up; then a
// "jump to latest" button appears. The list element survives Blazor's re-renders, so one observer per page suffices.
window.qwenvlChat.follow = (list, jump) => {
  const slack = 48; // px from the end that still counts as "at the end"
  const state = { stuck: true, autoTop: 0 };
  const atEnd = () => list.scrollHeight - list.scrollTop - list.clientHeight <= slack;
  const show = () => jump.classList.toggle('visible', !state.stuck && !atEnd());
  const toEnd = () => {
    list.scrollTop = list.scrollHeight;
    state.stuck = true;
    state.autoTop = list.scrollTop;
    show();
  };
  const follow = () => {
    // A scroll up that has not raised its event yet still counts: the reader left the end since our last move.
    if (state.stuck && list.scrollTop + slack < state.autoTop) state.stuck = false;
    if (state.stuck) toEnd();
    else show();
  };
  list.addEventListener('scroll', () => { state.stuck = atEnd(); if (state.stuck) state.autoTop = list.scrollTop; show(); });
  list.addEventListener('wheel', (e) => { if (e.deltaY < 0) { state.stuck = false; show(); } }, { passive: true });
  new MutationObserver(follow).observe(list, { childList: true, subtree: true, characterData: true });
  list.addEventListener('load', follow, true); // images change the height after they arrive
  jump.addEventListener('click', toEnd);
  list.qwenvlToEnd = toEnd;
};

// A conversation opens at its end, and sending a message returns there.
window.qwenvlChat.toEnd = (list) => {
  if (list.qwenvlToEnd) list.qwenvlToEnd();
  else list.scrollTop = list.scrollHeight;
};

// Copying: the clipboard API where the page is a secure context (https, localhost), a hidden text box elsewhere.
window.qwenvlChat.copy = async (text) => {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const box = document.createElement('textarea');
  box.value = text;
  box.style.position = 'fixed';
  box.style.opacity = '0';
  document.body.appendChild(box);
  box.select();
  document.execCommand('copy');
  box.remove();
};

// Code blocks' copy buttons are plain markup inside rendered answers (CodeBlocks.cs): one delegated handler.
document.addEventListener('click', async (e) => {
  const button = e.target.closest && e.target.closest('.code-copy');
  if (!button) return;
  const code = button.parentElement.querySelector('pre');
  await window.qwenvlChat.copy(code ? code.innerText : '');
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
});

// Keyboard: Esc stops the answer being written (unless a picture is open full size, where Esc closes it);
// Ctrl+Shift+O (as in other chat apps) starts a new chat.
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !document.querySelector('.lightbox')) {
    const stop = document.getElementById('chat-stop');
    if (stop && !stop.disabled) { e.preventDefault(); stop.click(); }
  } else if ((e.ctrlKey || e.metaKey) && e.shiftKey && (e.key === 'O' || e.key === 'o')) {
    const newChat = document.getElementById('conversation-new');
    if (newChat) { e.preventDefault(); newChat.click(); }
  }
});
