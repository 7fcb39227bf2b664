/* Test-only stand-in for Windows 10's bcryptprimitives.dll, which Wine 8 lacks:
 * Bun's Windows runtime imports ProcessPrng from it. Built with mingw-w64 at
 * test time and placed beside the exe under test; the product ships nothing of it. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* advapi32's RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    length -= chunk;
  }
  return TRUE;
}
