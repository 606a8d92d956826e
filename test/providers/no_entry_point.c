// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0-only
/*
 * A loadable library that is not a DAT provider: it exports no
 * dat_provider_init, so the registry must refuse it with a message.
 */
int not_a_dat_provider(void);

int not_a_dat_provider(void)
{
	return 0;
}
