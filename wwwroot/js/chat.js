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
