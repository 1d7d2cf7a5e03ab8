// SPDX-License-Identifier: GPL-2.0
#include <Zydis/Zydis.h>
#include <linux/kernel.h>
