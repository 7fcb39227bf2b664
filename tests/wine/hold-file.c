/* Test helper: holds a file open the way many Windows programs do (sharing read
 * only, no FILE_SHARE_DELETE), so deleting or replacing it fails with a sharing
 * violation until this process ends. Usage: hold-file.exe <path>; prints "held". */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
  if (argc != 2) return 2;
  HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    printf("error %lu\n", GetLastError());
    return 1;
  }
  printf("held\n");
  fflush(stdout);
  Sleep(INFINITE);
  return 0;
}
