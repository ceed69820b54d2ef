//! Mints and token accounts for tests, on SPL Token or Token-2022, with the
//! Token-2022 extensions the engine must accept or reject.

use crate::Harness;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022 as t22;
use solana_keypair::Keypair;
use solana_signer::Signer;
use t22::extension::ExtensionType;

pub const TOKEN: Pubkey = anchor_spl::token::ID;
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;
pub const DECIMALS: u8 = 6;

/// Token-2022 mint extensions used in tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ext {
    PermanentDelegate,
    TransferHook,
    TransferFee,
    NonTransferable,
    DefaultFrozen,
    ConfidentialTransfer,
    MintCloseAuthority,
    MetadataPointer,
}

impl Ext {
    fn ty(self) -> ExtensionType {
        match self {
            Ext::PermanentDelegate => ExtensionType::PermanentDelegate,
            Ext::TransferHook => ExtensionType::TransferHook,
            Ext::TransferFee => ExtensionType::TransferFeeConfig,
            Ext::NonTransferable => ExtensionType::NonTransferable,
            Ext::DefaultFrozen => ExtensionType::DefaultAccountState,
            Ext::ConfidentialTransfer => ExtensionType::ConfidentialTransferMint,
            Ext::MintCloseAuthority => ExtensionType::MintCloseAuthority,
            Ext::MetadataPointer => ExtensionType::MetadataPointer,
        }
    }

    fn init_ix(self, mint: &Pubkey, authority: &Pubkey) -> Instruction {
        let p = &TOKEN_2022;
        let ix = match self {
            Ext::PermanentDelegate => t22::instruction::initialize_permanent_delegate(p, mint, authority),
            Ext::TransferHook => t22::extension::transfer_hook::instruction::initialize(
                p,
                mint,
                Some(*authority),
                Some(Pubkey::new_unique()),
            ),
            Ext::TransferFee => t22::extension::transfer_fee::instruction::initialize_transfer_fee_config(
                p,
                mint,
                Some(authority),
                Some(authority),
                100,
                1_000_000,
            ),
            Ext::NonTransferable => t22::instruction::initialize_non_transferable_mint(p, mint),
            Ext::DefaultFrozen => t22::extension::default_account_state::instruction::initialize_default_account_state(
                p,
                mint,
                &t22::state::AccountState::Frozen,
            ),
            Ext::ConfidentialTransfer => t22::extension::confidential_transfer::instruction::initialize_mint(
                p,
                mint,
                Some(*authority),
                true,
                None,
            ),
            Ext::MintCloseAuthority => t22::instruction::initialize_mint_close_authority(p, mint, Some(authority)),
            Ext::MetadataPointer => {
                t22::extension::metadata_pointer::instruction::initialize(p, mint, Some(*authority), Some(*mint))
            }
        };
        ix.expect("extension init ix")
    }
}

/// The instructions that create and initialize `mint` on `token_program`
/// with `exts`, rent-exempt at the default rent (any cluster: bank or
/// validator); `mint` must sign.
pub fn create_mint_ixs(
    payer: &Pubkey,
    mint: &Pubkey,
    token_program: Pubkey,
    authority: &Pubkey,
    freeze: Option<&Pubkey>,
    exts: &[Ext],
    decimals: u8,
) -> Vec<Instruction> {
    let len = if exts.is_empty() {
        spl_token::state::Mint::LEN
    } else {
        let types: Vec<ExtensionType> = exts.iter().map(|e| e.ty()).collect();
        ExtensionType::try_calculate_account_len::<t22::state::Mint>(&types).expect("mint len")
    };
    let rent = anchor_lang::prelude::Rent::default().minimum_balance(len);
    let mut ixs =
        vec![solana_system_interface::instruction::create_account(payer, mint, rent, len as u64, &token_program)];
    ixs.extend(exts.iter().map(|e| e.init_ix(mint, authority)));
    ixs.push(
        t22::instruction::initialize_mint2(&token_program, mint, authority, freeze, decimals)
            .expect("initialize_mint2"),
    );
    ixs
}

impl Harness {
    /// Creates a mint owned by `token_program` with `authority` as mint
    /// authority, an optional freeze authority and Token-2022 extensions,
    /// with [`DECIMALS`] decimals.
    pub async fn create_mint(
        &mut self,
        token_program: Pubkey,
        authority: &Pubkey,
        freeze: Option<&Pubkey>,
        exts: &[Ext],
    ) -> Pubkey {
        self.create_mint_with_decimals(token_program, authority, freeze, exts, DECIMALS).await
    }

    /// [`Harness::create_mint`] with any number of decimals (0 and 9 are the
    /// edges attackers use: whole-token rounding and huge base-unit amounts).
    pub async fn create_mint_with_decimals(
        &mut self,
        token_program: Pubkey,
        authority: &Pubkey,
        freeze: Option<&Pubkey>,
        exts: &[Ext],
        decimals: u8,
    ) -> Pubkey {
        let mint = crate::new_keypair();
        let ixs =
            create_mint_ixs(&self.payer().pubkey(), &mint.pubkey(), token_program, authority, freeze, exts, decimals);
        self.send(&ixs, &[&mint]).await.expect("create mint");
        mint.pubkey()
    }

    /// Creates a token account of `mint` owned by `owner`.
    pub async fn token_account(&mut self, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
        let token_program =
            self.bank.ctx.banks_client.get_account(*mint).await.expect("mint").expect("mint exists").owner;
        let account = crate::new_keypair();
        let len = spl_token::state::Account::LEN;
        let rent = self.bank.ctx.banks_client.get_rent().await.expect("rent").minimum_balance(len);
        let payer = self.payer();
        let ixs = [
            solana_system_interface::instruction::create_account(
                &payer.pubkey(),
                &account.pubkey(),
                rent,
                len as u64,
                &token_program,
            ),
            t22::instruction::initialize_account3(&token_program, &account.pubkey(), mint, owner)
                .expect("init account"),
        ];
        self.send(&ixs, &[&account]).await.expect("create token account");
        account.pubkey()
    }

    /// Mints `amount` to `to` (before genesis, while `authority` still holds
    /// the mint authority).
    pub async fn mint_to(&mut self, mint: &Pubkey, to: &Pubkey, authority: &Keypair, amount: u64) {
        let (token_program, decimals) = self.mint_program_and_decimals(mint).await;
        let ix =
            t22::instruction::mint_to_checked(&token_program, mint, to, &authority.pubkey(), &[], amount, decimals)
                .expect("mint_to");
        self.send(&[ix], &[authority]).await.expect("mint_to");
    }

    /// Moves tokens between two token accounts.
    pub async fn transfer(&mut self, mint: &Pubkey, from: &Pubkey, to: &Pubkey, owner: &Keypair, amount: u64) {
        let (token_program, decimals) = self.mint_program_and_decimals(mint).await;
        let ix =
            t22::instruction::transfer_checked(&token_program, from, mint, to, &owner.pubkey(), &[], amount, decimals)
                .expect("transfer");
        self.send(&[ix], &[owner]).await.expect("transfer");
    }

    /// Token balance of a token account (0 if it does not exist).
    pub async fn balance(&mut self, account: &Pubkey) -> u64 {
        match self.account_data(account).await {
            Some(data) => {
                t22::extension::StateWithExtensions::<t22::state::Account>::unpack(&data)
                    .expect("token account")
                    .base
                    .amount
            }
            None => 0,
        }
    }

    /// The program that owns `mint`, and its decimals.
    async fn mint_program_and_decimals(&mut self, mint: &Pubkey) -> (Pubkey, u8) {
        let account = self.bank.ctx.banks_client.get_account(*mint).await.expect("mint").expect("mint exists");
        let state = t22::extension::StateWithExtensions::<t22::state::Mint>::unpack(&account.data).expect("mint");
        (account.owner, state.base.decimals)
    }

    /// Mint state (supply, authorities).
    pub async fn mint_state(&mut self, mint: &Pubkey) -> t22::state::Mint {
        let data = self.account_data(mint).await.expect("mint exists");
        t22::extension::StateWithExtensions::<t22::state::Mint>::unpack(&data).expect("mint").base
    }
}
